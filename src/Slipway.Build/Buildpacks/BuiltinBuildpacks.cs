using System.Text.RegularExpressions;

namespace Slipway.Build.Buildpacks;

/// <summary>The buildpacks shipped with Slipway, in the order they are tried when an app names none.</summary>
public static partial class BuiltinBuildpacks
{
    /// <summary>Detection order: the first buildpack whose <c>bin/detect</c> succeeds builds the app.</summary>
    public static IReadOnlyList<string> DetectionOrder { get; } = ["nodejs", "python", "dotnet", "static", "procfile"];

    /// <summary>What each buildpack looks for, listed when nothing detects.</summary>
    public static IReadOnlyDictionary<string, string> LooksFor { get; } = new Dictionary<string, string>
    {
        ["nodejs"] = "Node.js: package.json",
        ["python"] = "Python: requirements.txt, pyproject.toml, setup.py or Pipfile",
        ["dotnet"] = ".NET: a *.csproj, *.fsproj, *.sln or *.slnx at the root",
        ["static"] = "Static HTML: static.json, index.html or public/index.html",
        ["procfile"] = "Procfile: a Procfile declaring how to run the app",
    };

    /// <summary>
    /// Maps what a user may ask for (<c>nodejs</c>, <c>heroku/nodejs</c>, <c>https://github.com/heroku/heroku-buildpack-nodejs</c>)
    /// to a built-in buildpack name, or null when it names none.
    /// </summary>
    public static string? Resolve(string requested, string buildpacksDirectory)
    {
        var name = requested.Trim();
        var url = UrlRegex().Match(name);
        if (url.Success)
        {
            name = url.Groups["name"].Value;
        }
        else
        {
            foreach (var prefix in new[] { "heroku/", "slipway/" })
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    name = name[prefix.Length..];
                }
            }
        }

        name = name.ToLowerInvariant();
        if (name == "node")
        {
            name = "nodejs";
        }

        return NameRegex().IsMatch(name) && File.Exists(Path.Combine(buildpacksDirectory, name, "bin", "compile")) ? name : null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^https?://.*/heroku-buildpack-(?<name>[A-Za-z0-9_-]+?)(\.git|\.tgz|\.tar\.gz)?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlRegex();
}
