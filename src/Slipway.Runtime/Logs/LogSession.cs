using System.Globalization;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>What a <c>POST /apps/{app}/log-sessions</c> asked for; its <see cref="Resource"/> is what the <c>logplex_url</c> signs.</summary>
public sealed record LogSession(string Id, string AppId, int Lines, bool Tail, LogFilter Filter)
{
    /// <summary>The heroku CLI's default when <c>lines</c> is absent.</summary>
    public const int DefaultLines = 100;

    public string Resource => string.Create(CultureInfo.InvariantCulture,
        $"log-session {Id} {AppId} {Lines} {(Tail ? 1 : 0)} {Filter.Source ?? "-"} {Filter.Dyno ?? "-"}");
}
