namespace Slipway.Data.Tests;

/// <summary>The journal check reads /proc and /sys; these tests hand it the same files, made up, under a temporary root.</summary>
public sealed class FileSystemJournalTests : IDisposable
{
    private const string Mounts = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
        30 27 8:17 / /srv/slip\040way rw,relatime shared:5 - ext4 /dev/sdb1 rw
        31 27 8:33 / /srv/old rw,relatime - ext2 /dev/sdc1 rw
        32 27 0:40 / /srv/xfs rw,relatime - xfs /dev/sdd rw
        33 27 0:41 / /srv/old
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("slipway-journal-").FullName;
    private readonly string _mountInfo;
    private readonly string _blocks;
    private readonly string _journals;

    public FileSystemJournalTests()
    {
        _mountInfo = Path.Combine(_root, "mountinfo");
        File.WriteAllText(_mountInfo, Mounts);
        _blocks = Directory.CreateDirectory(Path.Combine(_root, "dev-block")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "devices", "vda"));
        Directory.CreateDirectory(Path.Combine(_root, "devices", "sdb", "sdb1"));
        File.CreateSymbolicLink(Path.Combine(_blocks, "254:0"), "../devices/vda");
        File.CreateSymbolicLink(Path.Combine(_blocks, "8:17"), "../devices/sdb/sdb1");
        _journals = Directory.CreateDirectory(Path.Combine(_root, "jbd2")).FullName;
    }

    [Fact]
    public void Ext4WithoutAJournal_Warns_NamingTheDeviceAndTheFix()
    {
        var warning = Check("/var/lib/slipway");

        Assert.NotNull(warning);
        Assert.Contains("/var/lib/slipway is on ext4 without a journal (/dev/vda at /)", warning);
        Assert.Contains("tune2fs -O has_journal", warning);
    }

    [Fact]
    public void Ext4WithItsJournalRunning_DoesNotWarn()
    {
        Directory.CreateDirectory(Path.Combine(_journals, "vda-8"));

        Assert.Null(Check("/var/lib/slipway"));
    }

    [Fact]
    public void TheLongestMountPointDecides_WithEscapedSpaces()
    {
        Directory.CreateDirectory(Path.Combine(_journals, "vda-8"));

        Assert.Contains("(/dev/sdb1 at /srv/slip way)", Check("/srv/slip way/data"));
        Assert.Null(Check("/srv/slip wayward")); // a sibling whose name only starts the same lies on /
    }

    [Fact]
    public void Ext2_AlwaysWarns_AndOtherFileSystemsNever()
    {
        Assert.Contains("is on ext2 without a journal", Check("/srv/old/slipway"));
        Assert.Null(Check("/srv/xfs/slipway"));
    }

    [Fact]
    public void UnreadableSources_GiveNoWarning()
    {
        Assert.Null(FileSystemJournal.MissingJournalWarning("/var/lib/slipway", Path.Combine(_root, "no-mountinfo"), _blocks, _journals));
        Assert.Null(FileSystemJournal.MissingJournalWarning("/var/lib/slipway", _mountInfo, _blocks, Path.Combine(_root, "no-jbd2")));
        Assert.Null(FileSystemJournal.MissingJournalWarning("/var/lib/slipway", _mountInfo, Path.Combine(_root, "no-blocks"), _journals));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string? Check(string path) => FileSystemJournal.MissingJournalWarning(path, _mountInfo, _blocks, _journals);
}
