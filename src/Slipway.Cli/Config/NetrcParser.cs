namespace Slipway.Cli.Config;

/// <summary>Tokenises netrc text, keeping each entry's span so edits can leave the rest of the file alone.</summary>
internal static class NetrcParser
{
    public static List<NetrcEntry> Parse(string text)
    {
        var entries = new List<NetrcEntry>();
        var tokens = Tokenize(text);
        int i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (token.Value is not ("machine" or "default"))
            {
                i++;
                continue;
            }
            string? machine = null;
            i++;
            if (token.Value == "machine" && i < tokens.Count)
                machine = tokens[i++].Value;
            string? login = null, password = null;
            while (i < tokens.Count && tokens[i].Value is not ("machine" or "default"))
            {
                var key = tokens[i].Value;
                var value = i + 1 < tokens.Count ? tokens[i + 1].Value : null;
                if (key == "login") login = value;
                else if (key == "password") password = value;
                i += key is "login" or "password" or "account" or "macdef" ? 2 : 1;
            }
            var end = i < tokens.Count ? tokens[i].Start : text.Length;
            entries.Add(new NetrcEntry(machine, login, password, token.Start, end));
        }
        return entries;
    }

    private readonly record struct Token(string Value, int Start);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            if (text[i] == '#' && (i == 0 || text[i - 1] == '\n'))
            {
                // A comment line; skip to its end.
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            int start = i;
            string value;
            if (text[i] == '"')
            {
                i++;
                var sb = new System.Text.StringBuilder();
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    sb.Append(text[i++]);
                }
                i++;
                value = sb.ToString();
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                value = text[start..i];
            }
            tokens.Add(new Token(value, start));
            if (value == "macdef")
            {
                // `macdef NAME` is followed by a macro body that runs to the next blank line.
                while (i < text.Length && text[i] != '\n') i++;
                var blank = text.IndexOf("\n\n", i, StringComparison.Ordinal);
                tokens.Add(new Token("", start));
                i = blank < 0 ? text.Length : blank + 2;
            }
        }
        return tokens;
    }
}
