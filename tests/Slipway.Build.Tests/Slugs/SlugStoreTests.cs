using Slipway.Build.Compile;
using Slipway.Build.Slugs;
using Slipway.Build.Sources;
using Slipway.Build.Tests.TestSupport;
using Slipway.Core.Platform;
using Slipway.Storage.Engine;

namespace Slipway.Build.Tests.Slugs;

public sealed class SlugStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataDirectory _data;
    private readonly FileObjectStore _objects;

    public SlugStoreTests()
    {
        _data = new DataDirectory(_temp.Combine("data"));
        Directory.CreateDirectory(_data.Root);
        _objects = new FileObjectStore(_data.Objects);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GetSlugDirectory_ConcurrentCallers_ShareOneExtraction()
    {
        var app = _temp.Combine("build", "app");
        _temp.Write("build/app/server.js", "console.log(1)");
        _temp.Write("build/app/.profile.d/nodejs.sh", "export X=1");
        File.CreateSymbolicLink(Path.Combine(app, "python3"), "/usr/bin/python3");
        var packed = await SlugPacker.PackAsync(app, _temp.Combine("slug.tgz"), Token);
        await using (var content = File.OpenRead(packed.Path))
        {
            await _objects.PutAsync(PlatformBuckets.Slugs, "slug-1.tgz", content, cancellationToken: Token);
        }

        var store = new SlugStore(_objects, _data);
        var directories = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.GetSlugDirectoryAsync("slug-1", BuildHarness.HostUid, Token)));

        Assert.All(directories, d => Assert.Equal(_data.Slug("slug-1"), d));
        Assert.Equal("console.log(1)", File.ReadAllText(Path.Combine(directories[0], "server.js")));
        Assert.Equal("export X=1", File.ReadAllText(Path.Combine(directories[0], ".profile.d", "nodejs.sh")));
        Assert.Equal("/usr/bin/python3", new FileInfo(Path.Combine(directories[0], "python3")).LinkTarget);
        Assert.Equal(["slug-1"], Directory.EnumerateFileSystemEntries(_data.Slugs, "*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName));
    }

    [Fact]
    public async Task GetSlugDirectory_MissingSlug_Throws()
    {
        var store = new SlugStore(_objects, _data);

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetSlugDirectoryAsync("nope", BuildHarness.HostUid, Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data.Slugs, "*", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public async Task GetSlugDirectory_SlugWritingThroughALink_IsRefused()
    {
        var archive = new TarBuilder().Directory("./app/").Symlink("./app/etc", "/etc").File("./app/etc/evil", "x").WriteTarGz(_temp.Combine("evil.tgz"));
        await using (var content = File.OpenRead(archive))
        {
            await _objects.PutAsync(PlatformBuckets.Slugs, "evil.tgz", content, cancellationToken: Token);
        }

        var store = new SlugStore(_objects, _data);

        var error = await Assert.ThrowsAsync<SourceArchiveException>(() => store.GetSlugDirectoryAsync("evil", BuildHarness.HostUid, Token));
        Assert.Contains("would be written through the symbolic link", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/evil"));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task GetSlugDirectory_InvalidId_Throws(string slugId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new SlugStore(_objects, _data).GetSlugDirectoryAsync(slugId, 1000, Token));
    }
}
