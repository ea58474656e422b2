using Slipway.Build.Compile;
using Slipway.Build.Tests.TestSupport;

namespace Slipway.Build.Tests.Compile;

public sealed class SlugIgnoreTests
{
    [Theory]
    [InlineData("*.log", "debug.log", false, true)]
    [InlineData("*.log", "logs/deep/debug.log", false, true)]
    [InlineData("*.log", "debug.log.txt", false, false)]
    [InlineData("/docs", "docs", true, true)]
    [InlineData("/docs", "src/docs", true, false)]
    [InlineData("docs/", "src/docs", true, true)]
    [InlineData("docs/", "docs", false, false)]
    [InlineData("test/fixtures", "test/fixtures", true, true)]
    [InlineData("test/fixtures", "a/test/fixtures", true, false)]
    [InlineData("**/tmp", "a/b/tmp", true, true)]
    [InlineData("spec/**", "spec/a/b.rb", false, true)]
    [InlineData("image?.png", "image1.png", false, true)]
    [InlineData("image?.png", "image10.png", false, false)]
    [InlineData("[abc].txt", "b.txt", false, true)]
    [InlineData("[!abc].txt", "b.txt", false, false)]
    public void IsIgnored_GitignoreLikePatterns(string pattern, string path, bool isDirectory, bool expected)
    {
        Assert.Equal(expected, new SlugIgnore(pattern).IsIgnored(path, isDirectory));
    }

    [Fact]
    public void IsIgnored_NegationKeepsAPathAndCommentsAreSkipped()
    {
        var ignore = new SlugIgnore("# comment\n\n*.md\n!README.md\n");

        Assert.True(ignore.IsIgnored("CHANGELOG.md", false));
        Assert.False(ignore.IsIgnored("README.md", false));
    }

    [Fact]
    public void Apply_RemovesMatchesWithoutFollowingSymlinks()
    {
        using var temp = new TempDirectory();
        var app = temp.Combine("app");
        temp.Write("app/server.js", "");
        temp.Write("app/debug.log", "");
        temp.Write("app/docs/guide.md", "");
        temp.Write("app/src/docs/keep.md", "");
        temp.Write("outside/precious.log", "keep me");
        Directory.CreateSymbolicLink(Path.Combine(app, "link"), temp.Combine("outside"));

        var removed = new SlugIgnore("*.log\n/docs\n").Apply(app);

        Assert.Equal(2, removed);
        Assert.True(File.Exists(Path.Combine(app, "server.js")));
        Assert.False(File.Exists(Path.Combine(app, "debug.log")));
        Assert.False(Directory.Exists(Path.Combine(app, "docs")));
        Assert.True(File.Exists(Path.Combine(app, "src", "docs", "keep.md")));
        Assert.Equal("keep me", File.ReadAllText(temp.Combine("outside", "precious.log")));
    }
}
