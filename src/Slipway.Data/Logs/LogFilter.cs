using Slipway.Core.Logs;

namespace Slipway.Data.Logs;

/// <summary>
/// Logplex's filters: <c>source</c> matches the source exactly (<c>app</c>, <c>heroku</c>); <c>dyno</c> matches a process
/// exactly (<c>web.1</c>, <c>router</c>, <c>api</c>) or every process of a type (<c>web</c> matches <c>web.1</c> and <c>web.2</c>).
/// </summary>
public sealed record LogFilter(string? Source = null, string? Dyno = null)
{
    public static readonly LogFilter All = new();

    public bool IsAll => Source is null && Dyno is null;

    public bool Matches(LogLine line) =>
        (Source is null || string.Equals(line.Source, Source, StringComparison.Ordinal))
        && (Dyno is null || MatchesProcess(line.Process));

    private bool MatchesProcess(string process) =>
        string.Equals(process, Dyno, StringComparison.Ordinal)
        || (process.Length > Dyno!.Length && process[Dyno.Length] == '.' && process.StartsWith(Dyno, StringComparison.Ordinal));
}
