using System.Text.RegularExpressions;

namespace Slipway.Core.Apps;

/// <summary>Heroku's app name rule: lower-case, starts with a letter, 3–30 characters.</summary>
public static partial class AppName
{
    public const string Pattern = "^[a-z][a-z0-9-]{1,28}[a-z0-9]$";

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    /// <summary>The message Heroku gives for a bad name, so users recognise it.</summary>
    public static string InvalidMessage(string name) =>
        $"Name \"{name}\" is invalid: it must start with a letter, end with a letter or digit, " +
        "and contain only lowercase letters, digits and dashes (3 to 30 characters).";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
