using System.Text.RegularExpressions;

namespace Slipway.Core.Apps;

/// <summary>Heroku's app name rule: lower-case, starts with a letter, 3–30 characters.</summary>
public static partial class AppName
{
    public const string Pattern = "^[a-z][a-z0-9-]{1,28}[a-z0-9]$";

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name) && !IsReserved(name);

    /// <summary>Names the platform itself serves on the router's domain (<c>storage.&lt;domain&gt;</c>).</summary>
    public static bool IsReserved(string name) => name is "storage" or "git" or "api";

    /// <summary>The message Heroku gives for a bad name, so users recognise it.</summary>
    public static string InvalidMessage(string name) => IsReserved(name)
        ? $"Name \"{name}\" is reserved by the platform. Choose another name."
        : $"Name \"{name}\" is invalid: it must start with a letter, end with a letter or digit, " +
        "and contain only lowercase letters, digits and dashes (3 to 30 characters).";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
