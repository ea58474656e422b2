using System.Formats.Tar;
using Slipway.Build.Sources;
using Slipway.Build.Tests.TestSupport;

namespace Slipway.Build.Tests.Sources;

public sealed class SourceArchiveTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Destination => _temp.Combine("parent", "dest");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Extract_TarGzWithSingleTopLevelDirectory_StripsIt()
    {
        var archive = new TarBuilder().Directory("repo-abc123/").File("repo-abc123/package.json", "{}").File("repo-abc123/lib/a.js", "a")
            .WriteTarGz(_temp.Combine("src.tgz"));

        var summary = await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.StrippedTopLevelDirectory);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(Destination, "package.json")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(Destination, "lib", "a.js")));
        Assert.False(Directory.Exists(Path.Combine(Destination, "repo-abc123")));
    }

    [Fact]
    public async Task Extract_TopLevelDirectoryNamedLikeItsChild_StripsWithoutCollision()
    {
        var archive = new TarBuilder().File("app/app/x", "1").File("app/y", "2").WriteTarGz(_temp.Combine("src.tgz"));

        await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("1", File.ReadAllText(Path.Combine(Destination, "app", "x")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(Destination, "y")));
    }

    [Fact]
    public async Task Extract_TopLevelDirectoryAndAFile_KeepsBoth()
    {
        var archive = new TarBuilder().File("src/a.js").File("README.md").WriteTar(_temp.Combine("src.tar"));

        var summary = await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(summary.StrippedTopLevelDirectory);
        Assert.True(File.Exists(Path.Combine(Destination, "src", "a.js")));
        Assert.True(File.Exists(Path.Combine(Destination, "README.md")));
    }

    [Fact]
    public async Task Extract_KeepsExecutableBitsAndDropsSetuid()
    {
        var archive = new TarBuilder()
            .File("bin/run", "#!/bin/sh", (UnixFileMode)0b111_101_101)
            .File("bin/suid", "x", (UnixFileMode)0b100_111_101_101)
            .File("data.txt", "x", (UnixFileMode)0b110_110_110)
            .WriteTarGz(_temp.Combine("src.tgz"));

        await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(Destination, "bin", "run")));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(Destination, "bin", "suid")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(Destination, "data.txt")));
    }

    [Fact]
    public async Task Extract_InTreeSymlinksAndHardLinks_AreKept()
    {
        var archive = new TarBuilder().File("lib/real.js", "real").Symlink("current", "lib").Symlink("lib/alias.js", "./real.js")
            .HardLink("copy.js", "lib/real.js").File("README.md").WriteTarGz(_temp.Combine("src.tgz"));

        await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("lib", new FileInfo(Path.Combine(Destination, "current")).LinkTarget);
        Assert.Equal("real", File.ReadAllText(Path.Combine(Destination, "current", "alias.js")));
        Assert.Equal("real", File.ReadAllText(Path.Combine(Destination, "copy.js")));
    }

    [Fact]
    public async Task Extract_Zip_KeepsModesAndStrips()
    {
        var archive = Archives.Zip(_temp.Combine("src.zip"),
            ("site/index.html", "<h1>hi</h1>", 0x81A4),
            ("site/run.sh", "#!/bin/sh", 0x81ED));

        var summary = await SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.StrippedTopLevelDirectory);
        Assert.Equal("<h1>hi</h1>", File.ReadAllText(Path.Combine(Destination, "index.html")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Destination, "run.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    public static TheoryData<string, string> MaliciousTars => new()
    {
        { "dotdot", "has a '..' path segment" },
        { "nested-dotdot", "has a '..' path segment" },
        { "absolute", "has an absolute path" },
        { "symlink-absolute", "is a symbolic link to the absolute path '/etc'" },
        { "symlink-escape", "outside the archive" },
        { "symlink-chain-escape", "resolves outside the archive" },
        { "write-through-symlink", "would be written through the symbolic link 'link'" },
        { "hardlink-absolute", "is a hard link to '/etc/shadow'" },
        { "hardlink-escape", "is a hard link to '../outside'" },
        { "hardlink-through-symlink", "not a file extracted earlier" },
        { "char-device", "is a character device" },
        { "block-device", "is a block device" },
        { "fifo", "is a FIFO" },
        { "dir-over-file", "turns an earlier file or link into a directory" },
    };

    [Theory]
    [MemberData(nameof(MaliciousTars))]
    public async Task Extract_MaliciousTar_IsRefusedNamingTheEntry(string kind, string expected)
    {
        var tar = new TarBuilder().File("ok.txt");
        _ = kind switch
        {
            "dotdot" => tar.File("../x"),
            "nested-dotdot" => tar.File("a/b/../../../x"),
            "absolute" => tar.File("/etc/passwd", "root::0:0::/:/bin/sh"),
            "symlink-absolute" => tar.Symlink("link", "/etc").File("link/x"),
            "symlink-escape" => tar.Symlink("sub/link", "../../.."),
            "symlink-chain-escape" => tar.Directory("d").Symlink("d/up", "..").Symlink("x", "d/up/../outside"),
            "write-through-symlink" => tar.Directory("sub").Symlink("link", "sub").File("link/x"),
            "hardlink-absolute" => tar.HardLink("shadow", "/etc/shadow"),
            "hardlink-escape" => tar.HardLink("h", "../outside"),
            "hardlink-through-symlink" => tar.Directory("sub").File("sub/f").Symlink("link", "sub").HardLink("h", "link/f"),
            "char-device" => tar.Special("null", TarEntryType.CharacterDevice),
            "block-device" => tar.Special("sda", TarEntryType.BlockDevice),
            "fifo" => tar.Special("pipe", TarEntryType.Fifo),
            "dir-over-file" => tar.File("a").Directory("a"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        File.WriteAllText(_temp.Combine("outside"), "secret");
        var archive = tar.WriteTarGz(_temp.Combine("evil.tgz"));

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() =>
            SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Refused archive entry '", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("parent", "x")));
        Assert.False(File.Exists(_temp.Combine("x")));
        Assert.Equal("secret", File.ReadAllText(_temp.Combine("outside")));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("..\\evil.txt")]
    [InlineData("ok/../../evil.txt")]
    [InlineData("/tmp/evil.txt")]
    public async Task Extract_ZipSlip_IsRefused(string name)
    {
        var archive = Archives.Zip(_temp.Combine("evil.zip"), ("ok.txt", "ok", 0), (name, "evil", 0));

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() =>
            SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("Refused archive entry", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("parent", "evil.txt")));
        Assert.False(File.Exists(_temp.Combine("evil.txt")));
    }

    [Fact]
    public async Task Extract_ZipSymlinkOutOfTree_IsRefused()
    {
        var archive = Archives.Zip(_temp.Combine("evil.zip"), ("ok.txt", "ok", 0), ("etc", "/etc", 0xA1FF));

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() =>
            SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("'etc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_SizeBomb_IsRefusedAtTheLimit()
    {
        var archive = new TarBuilder().File("small.txt").Bytes("bomb.bin", 64L * 1024 * 1024).WriteTarGz(_temp.Combine("bomb.tgz"));
        Assert.True(new FileInfo(archive).Length < 1024 * 1024);

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() => SourceArchive.ExtractAsync(
            archive, Destination, new SourceArchiveOptions { MaxUnpackedBytes = 8L * 1024 * 1024 }, TestContext.Current.CancellationToken));

        Assert.Contains("more than 8 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bomb.bin'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_TooManyEntries_IsRefused()
    {
        var tar = new TarBuilder();
        for (var i = 0; i < 20; i++)
        {
            tar.File($"f{i}");
        }

        var archive = tar.WriteTarGz(_temp.Combine("many.tgz"));

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() => SourceArchive.ExtractAsync(
            archive, Destination, new SourceArchiveOptions { MaxEntries = 10 }, TestContext.Current.CancellationToken));

        Assert.Contains("more than 10 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_NotAnArchive_IsRefused()
    {
        var path = _temp.Write("notes.txt", "just text");

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() =>
            SourceArchive.ExtractAsync(path, Destination, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("not a tar.gz, tar or zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_TruncatedGzip_IsRefusedAsUnreadable()
    {
        var archive = new TarBuilder().Bytes("big.bin", 1024 * 1024).WriteTarGz(_temp.Combine("src.tgz"));
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);

        await Assert.ThrowsAsync<SourceArchiveException>(() =>
            SourceArchive.ExtractAsync(archive, Destination, cancellationToken: TestContext.Current.CancellationToken));
    }
}
