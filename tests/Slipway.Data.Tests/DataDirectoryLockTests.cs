namespace Slipway.Data.Tests;

public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("slipway-lock-").FullName;

    [Fact]
    public void Acquire_WhileHeld_RefusesAndNamesTheHolder()
    {
        using var first = DataDirectoryLock.Acquire(_root);

        var refused = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_root));
        Assert.Contains($"another slipwayd (pid {Environment.ProcessId}) is running with the data directory {_root}", refused.Message);
        Assert.Contains("--data-dir", refused.Message);
    }

    [Fact]
    public void Acquire_AfterTheHolderLetGo_Succeeds()
    {
        DataDirectoryLock.Acquire(_root).Dispose();

        using var second = DataDirectoryLock.Acquire(_root);
        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(Path.Combine(_root, "slipwayd.pid")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
