using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

public sealed class SmallFileCacheTests
{
    [Fact]
    public void SecondRead_IsServedFromMemory()
    {
        var cache = new SmallFileCache(1024);
        var reads = 0;
        var first = cache.GetOrRead("a", _ => { reads++; return [1, 2, 3]; });
        var second = cache.GetOrRead("a", _ => { reads++; return [9]; });
        Assert.Same(first, second);
        Assert.Equal(1, reads);
    }

    [Fact]
    public void Budget_BoundsTheBytesHeld()
    {
        var cache = new SmallFileCache(100);
        for (var i = 0; i < 20; i++)
        {
            cache.GetOrRead("f" + i, _ => new byte[30]);
            Assert.InRange(cache.Bytes, 30, 100);
        }
    }

    [Fact]
    public void Remove_FreesTheFilesBytes_AndAMissingFileStillThrows()
    {
        var cache = new SmallFileCache(100);
        cache.GetOrRead("a", _ => new byte[10]);
        cache.Remove("a");
        Assert.Equal(0, cache.Bytes);
        Assert.Throws<FileNotFoundException>(() => cache.GetOrRead("a", id => throw new FileNotFoundException(id)));
    }

    [Fact]
    public void TryGet_AnswersOnlyWhatIsCached()
    {
        var cache = new SmallFileCache(1024);
        Assert.False(cache.TryGet("a", out _));

        var read = cache.GetOrRead("a", _ => [1, 2, 3]);

        Assert.True(cache.TryGet("a", out var hit));
        Assert.Same(read, hit);
        cache.Remove("a");
        Assert.False(cache.TryGet("a", out _));
    }
}
