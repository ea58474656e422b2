using Slipway.Cli.Deploy;

namespace Slipway.Cli.Tests.Deploy;

public class GitIgnorePatternTests
{
    [Theory]
    [InlineData("*.log", "debug.log", false, true)]
    [InlineData("*.log", "logs/debug.log", false, true)]
    [InlineData("*.log", "debug.log.txt", false, false)]
    [InlineData("build", "build", true, true)]
    [InlineData("build", "src/build", false, true)]
    [InlineData("build/", "build", true, true)]
    [InlineData("build/", "build", false, false)]
    [InlineData("build/", "src/build", true, true)]
    [InlineData("/build", "build", true, true)]
    [InlineData("/build", "src/build", true, false)]
    [InlineData("doc/frotz", "doc/frotz", false, true)]
    [InlineData("doc/frotz", "a/doc/frotz", false, false)]
    [InlineData("**/foo", "foo", false, true)]
    [InlineData("**/foo", "a/b/foo", false, true)]
    [InlineData("**/foo/bar", "x/foo/bar", false, true)]
    [InlineData("abc/**", "abc/x", false, true)]
    [InlineData("abc/**", "abc/x/y", false, true)]
    [InlineData("abc/**", "abc", true, false)]
    [InlineData("a/**/b", "a/b", false, true)]
    [InlineData("a/**/b", "a/x/b", false, true)]
    [InlineData("a/**/b", "a/x/y/b", false, true)]
    [InlineData("a/*/b", "a/x/y/b", false, false)]
    [InlineData("a/*", "a/x/y", false, false)]
    [InlineData("file?.txt", "file1.txt", false, true)]
    [InlineData("file?.txt", "file10.txt", false, false)]
    [InlineData("[abc].txt", "b.txt", false, true)]
    [InlineData("[!abc].txt", "b.txt", false, false)]
    [InlineData("[!abc].txt", "d.txt", false, true)]
    [InlineData("[a-c]x", "bx", false, true)]
    [InlineData("\\#hash", "#hash", false, true)]
    [InlineData("trailing   ", "trailing", false, true)]
    [InlineData("*.LOG", "debug.log", false, false)]
    public void IsMatch_FollowsGitSemantics(string pattern, string path, bool isDirectory, bool expected)
    {
        var parsed = GitIgnorePattern.Parse(pattern);
        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.IsMatch(path, isDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# comment")]
    [InlineData("/")]
    [InlineData("!")]
    public void Parse_BlankCommentOrEmpty_IsNull(string line) => Assert.Null(GitIgnorePattern.Parse(line));

    [Fact]
    public void Parse_Negation_IsNegated()
    {
        var pattern = GitIgnorePattern.Parse("!keep.log")!;
        Assert.True(pattern.Negated);
        Assert.True(pattern.IsMatch("keep.log", false));
    }

    [Fact]
    public void Parse_EscapedBang_IsLiteral()
    {
        var pattern = GitIgnorePattern.Parse("\\!important")!;
        Assert.False(pattern.Negated);
        Assert.True(pattern.IsMatch("!important", false));
    }

    [Fact]
    public void Decide_LastMatchWins()
    {
        var ignore = GitIgnore.Parse("*.log\n!keep.log\n");
        Assert.True(ignore.Decide("a.log", false));
        Assert.False(ignore.Decide("keep.log", false));
        Assert.Null(ignore.Decide("a.txt", false));
    }

    [Fact]
    public void Decide_InSubdirectory_IsRelativeToItsDirectory()
    {
        var ignore = GitIgnore.Parse("/out\n", "web");
        Assert.True(ignore.Decide("web/out", true));
        Assert.Null(ignore.Decide("out", true));
        Assert.Null(ignore.Decide("api/out", true));
    }
}
