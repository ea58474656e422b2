using System.Globalization;
using System.Text;

namespace Slipway.Core.Logs;

/// <summary>One log line in Logplex's shape: <c>2010-09-16T15:13:46.677020+00:00 app[web.1]: message</c>.</summary>
public sealed record LogLine(DateTimeOffset Timestamp, string Source, string Process, string Message)
{
    /// <summary>Logplex splits longer lines into chunks of this many bytes.</summary>
    public const int MaxMessageBytes = 10_000;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'";
    private const int TimestampBytes = 32;

    /// <summary>An upper bound of <see cref="FormatUtf8"/>'s length, for sizing its buffer.</summary>
    public int MaxUtf8Length => TimestampBytes + 4 + Encoding.UTF8.GetMaxByteCount(Source.Length + Process.Length + Message.Length);

    public override string ToString() => $"{FormatTimestamp(Timestamp)} {Source}[{Process}]: {Message}";

    /// <summary>
    /// Writes <see cref="ToString"/>'s text as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxUtf8Length"/>
    /// bytes) and returns the bytes written; live tails format every line, so this skips the intermediate string.
    /// </summary>
    public int FormatUtf8(Span<byte> destination)
    {
        Timestamp.ToUniversalTime().TryFormat(destination, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        destination[written++] = (byte)' ';
        written += Encoding.UTF8.GetBytes(Source, destination[written..]);
        destination[written++] = (byte)'[';
        written += Encoding.UTF8.GetBytes(Process, destination[written..]);
        destination[written++] = (byte)']';
        destination[written++] = (byte)':';
        destination[written++] = (byte)' ';
        written += Encoding.UTF8.GetBytes(Message, destination[written..]);
        return written;
    }

    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);
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
