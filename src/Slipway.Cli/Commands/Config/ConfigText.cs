using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Cli.Commands.Config;

internal static partial class ConfigText
{
    /// <summary>Quotes a value for a POSIX shell only when it needs it.</summary>
    public static string ShellQuote(string value)
    {
        if (value.Length > 0 && SafeForShell().IsMatch(value))
            return value;
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Splits <c>KEY=value</c> (the value may hold more <c>=</c>).</summary>
    public static KeyValuePair<string, string> ParseAssignment(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw new UsageException($"{argument} is invalid. Must be in the format FOO=bar.");
        return new(argument[..equals], argument[(equals + 1)..]);
    }

    /// <summary><c>FOO</c>, <c>FOO and BAR</c>, <c>FOO, BAR and BAZ</c>.</summary>
    public static string Sentence(IReadOnlyList<string> keys)
    {
        if (keys.Count <= 1)
            return string.Concat(keys);
        var text = new StringBuilder();
        text.AppendJoin(", ", keys.Take(keys.Count - 1));
        return text.Append(" and ").Append(keys[^1]).ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex SafeForShell();
}
