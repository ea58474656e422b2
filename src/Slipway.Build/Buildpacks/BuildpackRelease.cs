namespace Slipway.Build.Buildpacks;

/// <summary>What a buildpack's <c>bin/release</c> printed: the YAML subset of the classic buildpack API.</summary>
public sealed record BuildpackRelease
{
    public IReadOnlyList<KeyValuePair<string, string>> DefaultProcessTypes { get; init; } = [];

    /// <summary>Add-ons to provision on first deploy (kept for completeness; Slipway has none yet).</summary>
    public IReadOnlyList<string> Addons { get; init; } = [];

    /// <summary>Legacy buildpacks' default config vars.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ConfigVars { get; init; } = [];

    public static BuildpackRelease Empty { get; } = new();

    /// <summary>
    /// Parses <c>bin/release</c> output: a document marker, then top-level keys <c>default_process_types</c>,
    /// <c>config_vars</c> (block maps of plain or quoted scalars) and <c>addons</c> (a block list); <c>{}</c>/<c>[]</c> for empty.
    /// </summary>
    /// <exception cref="FormatException">A line is outside that subset.</exception>
    public static BuildpackRelease Parse(string yaml)
    {
        var processTypes = new List<KeyValuePair<string, string>>();
        var configVars = new List<KeyValuePair<string, string>>();
        var addons = new List<string>();
        string? section = null;
        var lineNumber = 0;
        foreach (var raw in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            var line = StripComment(raw).TrimEnd();
            if (line.Trim().Length == 0 || line.Trim() is "---" or "--- {}" or "{}" or "..." || line.StartsWith("--- ", StringComparison.Ordinal) && line[4..].Trim() == "{}")
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw Invalid(lineNumber, raw);
                }

                section = Unquote(line[..colon].Trim());
                var rest = line[(colon + 1)..].Trim();
                if (rest.Length > 0 && rest is not "{}" and not "[]" and not "~" and not "null")
                {
                    throw Invalid(lineNumber, raw);
                }

                continue;
            }

            var item = line.Trim();
            switch (section)
            {
                case "addons":
                    if (!item.StartsWith('-'))
                    {
                        throw Invalid(lineNumber, raw);
                    }

                    addons.Add(Unquote(item[1..].Trim()));
                    break;
                case "default_process_types" or "config_vars":
                    var (key, value) = SplitPair(item) ?? throw Invalid(lineNumber, raw);
                    (section == "config_vars" ? configVars : processTypes).Add(new(key, value));
                    break;
                case null:
                    throw Invalid(lineNumber, raw);
                default:
                    break; // Keys this platform does not know are ignored, as Heroku does.
            }
        }

        return new BuildpackRelease { DefaultProcessTypes = processTypes, ConfigVars = configVars, Addons = addons };
    }

    private static (string Key, string Value)? SplitPair(string item)
    {
        int colon;
        if (item.StartsWith('"') || item.StartsWith('\''))
        {
            var close = item.IndexOf(item[0], 1);
            colon = close < 0 ? -1 : item.IndexOf(':', close);
        }
        else
        {
            colon = item.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 && item.EndsWith(':'))
            {
                colon = item.Length - 1;
            }
        }

        if (colon <= 0)
        {
            return null;
        }

        var key = Unquote(item[..colon].Trim());
        var value = Unquote(item[(colon + 1)..].Trim());
        return key.Length == 0 ? null : (key, value);
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return System.Text.RegularExpressions.Regex.Unescape(value[1..^1]);
        }

        return value;
    }

    /// <summary>A <c>#</c> starts a comment at the line start or after whitespace, outside quotes.</summary>
    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or ':'))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static FormatException Invalid(int lineNumber, string line) =>
        new($"line {lineNumber} is not valid buildpack release YAML: {line.Trim()}");
}
