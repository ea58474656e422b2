using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Dashboard.Tests;

public sealed partial class DashboardAssetsTests
{
    private readonly DashboardAssets _assets = new();

    [Fact]
    public void Page_LinksItsAssetsUnderTheCurrentVersion()
    {
        var page = Encoding.UTF8.GetString(_assets.Page.Content);

        Assert.DoesNotContain("{{assets}}", page, StringComparison.Ordinal);
        Assert.Contains($"src=\"{_assets.AssetPath}js/main.js\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{_assets.AssetPath}app.css\"", page, StringComparison.Ordinal);
        Assert.Equal(_assets.Version, new DashboardAssets().Version);
    }

    [Fact]
    public void EveryModuleImport_NamesAnEmbeddedAsset()
    {
        var modules = new Queue<string>(["js/main.js"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (modules.TryDequeue(out var module))
        {
            if (!seen.Add(module))
            {
                continue;
            }

            var asset = _assets.Find(module);
            Assert.True(asset is not null, $"{module} is imported but not embedded");
            Assert.Equal("text/javascript; charset=utf-8", asset.ContentType);
            foreach (Match import in ImportRegex().Matches(Encoding.UTF8.GetString(asset.Content)))
            {
                modules.Enqueue(Resolve(module, import.Groups["path"].Value));
            }
        }

        Assert.Contains("js/pages/logs.js", seen);
    }

    [Fact]
    public void UnknownPaths_AreNotAssets()
    {
        Assert.Null(_assets.Find("index.html"));
        Assert.Null(_assets.Find("../Slipway.Dashboard.dll"));
        Assert.Null(_assets.Find("js/missing.js"));
    }

    private static string Resolve(string from, string relative) =>
        new Uri(new Uri("https://assets/" + from), relative).AbsolutePath.TrimStart('/');

    [GeneratedRegex(@"^import .* from '(?<path>[^']+)';$", RegexOptions.Multiline)]
    private static partial Regex ImportRegex();
}
