using Slipway.Cli.Api;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Ps;

/// <summary>
/// <c>heroku ps</c> layout: one group per process type and command, <c>=== web (Basic): npm start (2)</c>,
/// then <c>web.1: up 2026/11/29 21:00:00 +0000 (~ 5s ago)</c>. One-off <c>run</c> dynos come first.
/// Header lines start with <c>=== </c>; a blank line separates groups.
/// </summary>
internal static class DynoListing
{
    public static IReadOnlyList<string> Render(IReadOnlyList<DynoResource> dynos, string app, TimeProvider time)
    {
        if (dynos.Count == 0)
            return [$"No dynos on {CommonOptions.Hex(app)}"];
        var lines = new List<string>();
        var oneOffs = dynos.Where(d => d.Type == "run").OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        if (oneOffs.Count > 0)
        {
            lines.Add($"=== run: one-off processes ({oneOffs.Count})");
            foreach (var dyno in oneOffs)
                lines.Add($"{dyno.Name} ({Size(dyno)}): {State(dyno, time)}: {dyno.Command}");
        }
        var groups = dynos
            .Where(d => d.Type != "run")
            .GroupBy(d => (d.Type, d.Command, Size: Size(d)))
            .OrderBy(g => g.Key.Type, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Command, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (lines.Count > 0)
                lines.Add("");
            lines.Add($"=== {group.Key.Type} ({group.Key.Size}): {group.Key.Command} ({group.Count()})");
            foreach (var dyno in group.OrderBy(d => Number(d.Name)).ThenBy(d => d.Name, StringComparer.Ordinal))
                lines.Add($"{dyno.Name}: {State(dyno, time)}");
        }
        return lines;
    }

    private static string Size(DynoResource dyno) => string.IsNullOrEmpty(dyno.Size) ? "Basic" : dyno.Size;

    private static string State(DynoResource dyno, TimeProvider time) =>
        dyno.UpdatedAt is { } at ? $"{dyno.State} {TimeDisplay.Format(at, time)}" : dyno.State ?? "unknown";

    private static int Number(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot >= 0 && int.TryParse(name.AsSpan(dot + 1), out var n) ? n : int.MaxValue;
    }
}
