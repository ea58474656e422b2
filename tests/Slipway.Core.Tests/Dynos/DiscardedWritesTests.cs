using Slipway.Core.Dynos;

namespace Slipway.Core.Tests.Dynos;

public sealed class DiscardedWritesTests
{
    [Fact]
    public void Describe_OneDirectory_NamesItWithCountAndSize()
    {
        var writes = DiscardedWrites.Summarise([("/app/assets/profilepictures/a.png", 600_000), ("/app/assets/profilepictures/b.png", 400_000), ("/app/assets/profilepictures/c.png", 258_291)]);
        Assert.Equal(3, writes.Files);
        Assert.Equal(
            "Discarded 3 files (1.2 MB) written since boot under /app/assets/profilepictures — the filesystem is ephemeral; keep files in the storage add-on",
            writes.Describe());
    }

    [Fact]
    public void Describe_ManyDirectories_LargestFirst_AndBounded()
    {
        var files = Enumerable.Range(0, 8).SelectMany(d => Enumerable.Range(0, d + 1).Select(f => ($"/app/d{d}/f{f}", 100L))).ToList();
        var writes = DiscardedWrites.Summarise(files);
        var text = writes.Describe();
        Assert.StartsWith("Discarded 36 files (3.5 KB) written since boot under /app/d7 (8 files, 800 B), /app/d6 (7 files, 700 B)", text);
        Assert.Contains("and 3 more directories", text);
        Assert.DoesNotContain("/app/d0", text);
    }

    [Fact]
    public void Summarise_Nothing_IsEmpty() => Assert.Equal(0, DiscardedWrites.Summarise([]).Files);
}
