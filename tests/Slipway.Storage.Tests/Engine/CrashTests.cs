using System.Diagnostics;
using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

/// <summary>kill -9 of a process in the middle of a write or a multipart completion: acknowledged objects survive intact, a partial one never appears.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KillDuringWrite_LosesNoAcknowledgedObject_AndExposesNoPartialOne()
    {
        using var directory = new TempDirectory();
        var root = Path.Combine(directory.Path, "objects");
        var acked = await RunAndKillAsync(root, 3, "partial");
        Assert.Equal(3, acked.Count);

        var store = new FileObjectStore(root);
        Assert.True(await store.SweepAsync() >= 1); // the interrupted write's data file, which no row names
        foreach (var (key, etag) in acked)
        {
            var opened = await store.OpenObjectAsync("crash", key);
            Assert.NotNull(opened);
            await using var stream = opened.Value.Stream;
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(CrashWriter.Content(key), copy.ToArray());
            Assert.Equal(etag, opened.Value.Record.ETag);
        }

        Assert.Null(await store.GetObjectAsync("crash", "partial"));
        Assert.Equal(3, DataFiles(root).Count);
    }

    [Fact]
    public async Task KillDuringOverwrite_KeepsThePreviousVersion()
    {
        using var directory = new TempDirectory();
        var root = Path.Combine(directory.Path, "objects");
        var acked = await RunAndKillAsync(root, 2, "acked-1");

        var store = new FileObjectStore(root);
        await store.SweepAsync();
        var survivor = await store.GetObjectAsync("crash", "acked-1");
        Assert.NotNull(survivor);
        Assert.Equal(acked["acked-1"], survivor.ETag);
        Assert.Equal(100_000, survivor.Size);
        Assert.Equal(2, DataFiles(root).Count);
    }

    [Fact]
    public async Task KillDuringCompletion_LeavesEitherTheWholeObjectOrAnUploadThatStillCompletes()
    {
        using var directory = new TempDirectory();
        var root = Path.Combine(directory.Path, "objects");
        var start = ChildProcess(CrashCompleter.Flag, root);
        using var process = Process.Start(start)!;
        string[] completing;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line?.StartsWith("completing ", StringComparison.Ordinal) != true)
            {
                process.Kill();
                Assert.Fail($"The completer said '{line}': {await process.StandardError.ReadToEndAsync()}");
            }

            completing = line.Split(' ');
            await Task.Delay(Random.Shared.Next(0, 50)); // somewhere in the concatenation, its fsync, the rename or the commit
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var store = new FileObjectStore(root);
        await store.SweepAsync();
        var record = await store.GetObjectAsync("crash", CrashCompleter.Key);
        if (record is null)
        {
            // Not committed: the upload and its parts must be intact, so the client's retry succeeds.
            var upload = await store.GetUploadAsync(completing[1]);
            Assert.NotNull(upload);
            record = await store.CompleteUploadAsync(upload, completing[2].Split(',').Select((etag, i) => (i + 1, etag)).ToList(), null);
        }

        Assert.Null(await store.GetUploadAsync(completing[1]));
        var opened = await store.OpenObjectAsync("crash", CrashCompleter.Key);
        await using (var stream = opened!.Value.Stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.True(CrashCompleter.Content().AsSpan().SequenceEqual(copy.ToArray()), "The object's bytes are not its parts in order.");
        }

        Assert.EndsWith("-3", record.ETag, StringComparison.Ordinal);
        await DataFileCount.WaitForAsync(Path.Combine(root, "data"), 1);
    }

    private static ProcessStartInfo ChildProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static List<string> DataFiles(string root) => Directory.EnumerateFiles(Path.Combine(root, "data"), "*", SearchOption.AllDirectories).ToList();

    /// <summary>Starts the writer, collects what it acknowledged, and SIGKILLs it once the unfinished write is in progress.</summary>
    private static async Task<Dictionary<string, string>> RunAndKillAsync(string root, int acked, string partialKey)
    {
        var start = ChildProcess(CrashWriter.Flag, root, acked.ToString(System.Globalization.CultureInfo.InvariantCulture), partialKey);
        using var process = Process.Start(start)!;
        var result = new Dictionary<string, string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts[0] == "acked")
                {
                    result[parts[1]] = parts[2];
                }
                else if (parts[0] == "midwrite")
                {
                    break;
                }
            }

            if (process.HasExited)
            {
                Assert.Fail("The writer ended before it could be killed: " + await process.StandardError.ReadToEndAsync());
            }
        }
        finally
        {
            process.Kill(); // SIGKILL: no finally blocks, no flushes in the child
            await process.WaitForExitAsync();
        }

        return result;
    }
}
