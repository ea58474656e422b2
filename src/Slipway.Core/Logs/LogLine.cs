using System.Globalization;

namespace Slipway.Core.Logs;

/// <summary>One log line in Logplex's shape: <c>2010-09-16T15:13:46.677020+00:00 app[web.1]: message</c>.</summary>
public sealed record LogLine(DateTimeOffset Timestamp, string Source, string Process, string Message)
{
    /// <summary>Logplex splits longer lines into chunks of this many bytes.</summary>
    public const int MaxMessageBytes = 10_000;

    public override string ToString() => $"{FormatTimestamp(Timestamp)} {Source}[{Process}]: {Message}";

    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}

/// <summary>The sources Logplex uses: <c>app</c> for dyno output, <c>heroku</c> for the platform, plus the router and api processes.</summary>
public static class LogSources
{
    public const string App = "app";
    public const string Heroku = "heroku";
    public const string Slipway = "slipway";

    public const string ApiProcess = "api";
    public const string RouterProcess = "router";
}

/// <summary>Where every part of the platform writes an app's log lines.</summary>
public interface IAppLog
{
    void Write(string appId, string source, string process, string message);
}
