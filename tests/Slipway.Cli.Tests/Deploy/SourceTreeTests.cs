using Slipway.Cli.Deploy;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Deploy;

public class SourceTreeTests
{
    private static List<string> Paths(string root, List<string>? warnings = null) =>
        [.. SourceTree.Enumerate(root, w => warnings?.Add(w)).Select(e => e.Path)];

    [Fact]
    public void Enumerate_SkipsGitDirectoryAlways()
    {
        using var dir = new TempDirectory();
        dir.Write(".git/config", "x");
        dir.Write("app.js", "x");
        Assert.Equal(["app.js"], Paths(dir.Path));
    }

    [Fact]
    public void Enumerate_KeepsNodeModulesUnlessIgnored()
    {
        using var dir = new TempDirectory();
        dir.Write("node_modules/left-pad/index.js", "x");
        Assert.Contains("node_modules/left-pad/index.js", Paths(dir.Path));

        dir.Write(".gitignore", "node_modules/\n");
        Assert.DoesNotContain(Paths(dir.Path), p => p.StartsWith("node_modules", StringComparison.Ordinal));
    }

    [Fact]
    public void Enumerate_HonoursNestedGitIgnoresAndNegation()
    {
        using var dir = new TempDirectory();
        dir.Write(".gitignore", "*.log\n/tmp/\nsecret.txt\n");
        dir.Write("a.log");
        dir.Write("tmp/x");
        dir.Write("src/tmp/y");
        dir.Write("secret.txt");
        dir.Write("src/.gitignore", "!keep.log\ngenerated/\n");
        dir.Write("src/keep.log");
        dir.Write("src/other.log");
        dir.Write("src/generated/z.js");
        dir.Write("src/sub/secret.txt");

        var paths = Paths(dir.Path);

        Assert.Equal(
            [".gitignore", "src", "src/.gitignore", "src/keep.log", "src/sub", "src/tmp", "src/tmp/y"],
            paths);
    }

    [Fact]
    public void Enumerate_CannotReincludeInsideIgnoredDirectory()
    {
        using var dir = new TempDirectory();
        dir.Write(".gitignore", "build/\n!build/keep.txt\n");
        dir.Write("build/keep.txt");
        Assert.Equal([".gitignore"], Paths(dir.Path));
    }

    [Fact]
    public void Enumerate_DoubleStarSlashStar_AllowsReincludeOfChildren()
    {
        using var dir = new TempDirectory();
        dir.Write(".gitignore", "build/**\n!build/keep.txt\n");
        dir.Write("build/keep.txt");
        dir.Write("build/drop.txt");
        Assert.Equal([".gitignore", "build", "build/keep.txt"], Paths(dir.Path));
    }

    [Fact]
    public void Enumerate_SlipwayIgnoreOverridesGitIgnore()
    {
        using var dir = new TempDirectory();
        dir.Write(".gitignore", "dist/\n");
        dir.Write(".slipwayignore", "!dist/\ndocs/\n*.psd\n");
        dir.Write("dist/app.js");
        dir.Write("docs/readme.md");
        dir.Write("art/logo.psd");
        Assert.Equal([".gitignore", ".slipwayignore", "art", "dist", "dist/app.js"], Paths(dir.Path));
    }

    [Fact]
    public void Enumerate_KeepsRelativeLinksInsideAndSkipsOthers()
    {
        using var dir = new TempDirectory();
        dir.Write("bin/run", "x");
        File.CreateSymbolicLink(dir.Combine("run"), "bin/run");
        File.CreateSymbolicLink(dir.Combine("passwd"), "/etc/passwd");
        File.CreateSymbolicLink(dir.Combine("up"), "../outside");
        Directory.CreateSymbolicLink(dir.Combine("bin2"), "bin");
        var warnings = new List<string>();

        var entries = SourceTree.Enumerate(dir.Path, warnings.Add).ToList();

        Assert.Equal(["bin", "bin/run", "bin2", "run"], entries.Select(e => e.Path));
        Assert.Equal("bin/run", entries.Single(e => e.Path == "run").LinkTarget);
        Assert.Equal(SourceEntryKind.SymbolicLink, entries.Single(e => e.Path == "bin2").Kind);
        Assert.Equal(2, warnings.Count);
    }
}
