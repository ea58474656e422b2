using System.Text.RegularExpressions;

namespace Slipway.Core.Apps;

/// <summary>A Procfile: one <c>type: command</c> per line, as Heroku reads it.</summary>
public static partial class Procfile
{
    /// <summary>Parses Procfile text into process types in file order; throws <see cref="ProcfileException"/> on a bad line.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text)
    {
        var types = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = LineRegex().Match(line);
            if (!match.Success)
            {
                throw new ProcfileException(lineNumber,
                    $"Procfile line {lineNumber} is not of the form `type: command`: {Shorten(line)}. " +
                    "Each line names a process type (letters, digits, '-' or '_') followed by a colon and the command to run.");
            }

            var type = match.Groups["type"].Value;
            var command = match.Groups["command"].Value.Trim();
            if (!seen.Add(type))
            {
                throw new ProcfileException(lineNumber, $"Procfile line {lineNumber} declares process type `{type}` a second time; each type may appear once.");
            }

            types.Add(new(type, command));
        }

        return types;
    }

    public static bool IsValidProcessType(string type) => TypeRegex().IsMatch(type);

    private static string Shorten(string line) => line.Length > 80 ? string.Concat(line.AsSpan(0, 77), "...") : line;

    [GeneratedRegex(@"^(?<type>[-\w]{1,128}):\s*(?<command>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LineRegex();

    [GeneratedRegex(@"^[-\w]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeRegex();
}

public sealed class ProcfileException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}
