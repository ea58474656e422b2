using System.Formats.Tar;
using System.IO.Compression;
using Slipway.Cli.Deploy;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Deploy;

public class SourcePackerTests
{
    private static async Task<List<TarEntry>> PackAndReadAsync(string root)
    {
        using var archive = new MemoryStream();
        await SourcePacker.PackAsync(root, archive, ct: TestContext.Current.CancellationToken);
        archive.Position = 0;
        var entries = new List<TarEntry>();
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
            entries.Add(entry);
        return entries;
    }

    [Fact]
    public async Task Pack_KeepsModesAndContent()
    {
        using var dir = new TempDirectory();
        var script = dir.Write("bin/start", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var data = dir.Write("data.txt", "hello");
        File.SetUnixFileMode(data, (UnixFileMode)0b110_100_000);

        var entries = await PackAndReadAsync(dir.Path);

        var start = entries.Single(e => e.Name == "bin/start");
        Assert.Equal(TarEntryType.RegularFile, start.EntryType);
        Assert.Equal((UnixFileMode)0b111_101_101, start.Mode);
        Assert.Equal((UnixFileMode)0b110_100_000, entries.Single(e => e.Name == "data.txt").Mode);
        using var content = new StreamReader(entries.Single(e => e.Name == "data.txt").DataStream!);
        Assert.Equal("hello", await content.ReadToEndAsync(TestContext.Current.CancellationToken));
        Assert.Equal(TarEntryType.Directory, entries.Single(e => e.Name == "bin/").EntryType);
    }

    [Fact]
    public async Task Pack_StoresRelativeSymlinksAsLinks()
    {
        using var dir = new TempDirectory();
        dir.Write("lib/real.js", "x");
        File.CreateSymbolicLink(dir.Combine("lib/alias.js"), "real.js");
        File.CreateSymbolicLink(dir.Combine("abs"), "/etc/hostname");

        var entries = await PackAndReadAsync(dir.Path);

        var link = entries.Single(e => e.Name == "lib/alias.js");
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("real.js", link.LinkName);
        Assert.DoesNotContain(entries, e => e.Name == "abs");
    }

    [Fact]
    public async Task Pack_HonoursIgnoresAndNeverEscapesTheRoot()
    {
        using var dir = new TempDirectory();
        dir.Write(".gitignore", "*.tmp\n");
        dir.Write("a.tmp");
        dir.Write("keep/b.txt");
        dir.Write(".git/HEAD", "ref");
        File.CreateSymbolicLink(dir.Combine("escape"), "../../etc");

        var entries = await PackAndReadAsync(dir.Path);

        Assert.Equal([".gitignore", "keep/", "keep/b.txt"], entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.False(Path.IsPathRooted(e.Name));
            Assert.DoesNotContain("..", e.Name.Split('/'));
            Assert.False(e.Name.StartsWith("./", StringComparison.Ordinal));
        });
    }
}
