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

    [Fact]
    public async Task KillDuringConcurrentInlineWrites_KeepsEveryAcknowledgedVersion_Whole_AndNoOrphanBody()
    {
        using var directory = new TempDirectory();
        var root = Path.Combine(directory.Path, "objects");
        var acked = new Dictionary<string, int>();
        using (var process = Process.Start(ChildProcess(InlineCrashWriter.Flag, root))!)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                var target = 100 + Random.Shared.Next(200); // somewhere in the middle of a stream of group commits
                for (var count = 0; count < target && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line; count++)
                {
                    Acknowledge(acked, line);
                }

                if (process.HasExited)
                {
                    Assert.Fail("The writer ended before it could be killed: " + await process.StandardError.ReadToEndAsync());
                }
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            // Acknowledgements written before the kill but not read yet are acknowledgements all the same: a writer may be
            // several versions past the last line read (the pipe holds them), and its key may hold any of those.
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                Acknowledge(acked, line);
            }
        }

        var store = new FileObjectStore(root);
        await store.SweepAsync();
        for (var writer = 0; writer < InlineCrashWriter.Writers; writer++)
        {
            for (var slot = 0; slot < InlineCrashWriter.KeysPerWriter; slot++)
            {
                // A writer's writes are sequential and alternate between its keys: a key holds its last acknowledged version,
                // or the writer's next one for it if that commit beat the kill; a key never acknowledged may hold its first.
                var key = InlineCrashWriter.Key(writer, slot);
                var (from, to) = acked.TryGetValue(key, out var last) ? (last, last + InlineCrashWriter.KeysPerWriter + 1) : (slot, slot + 1);
                var stored = await ReadVersionAsync(store, key, from, to);
                Assert.True(stored is not null || !acked.ContainsKey(key), $"{key}: acknowledged version {last}, but it holds nothing");
            }
        }

        var (bodies, named) = StoredBodies.InlineCounts(root);
        Assert.Equal(named, bodies);
        Assert.Empty(DataFiles(root));
    }

    /// <summary>Records "acked KEY VERSION ETAG"; a line the kill cut short (no whole 32-digit ETag) acknowledges nothing.</summary>
    private static void Acknowledge(Dictionary<string, int> acked, string line)
    {
        var parts = line.Split(' ');
        Assert.Equal("acked", parts[0]);
        if (parts.Length == 4 && parts[3].Length == 32)
        {
            acked[parts[1]] = Math.Max(acked.GetValueOrDefault(parts[1], -1), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Which version in [<paramref name="from"/>, <paramref name="to"/>) the key holds, checking bytes and ETag; null when the
    /// key has no object. Any other bytes (a partial or wrong version) fail.
    /// </summary>
    private static async Task<int?> ReadVersionAsync(FileObjectStore store, string key, int from, int to)
    {
        if (await store.OpenObjectAsync("crash", key) is not { } opened)
        {
            return null;
        }

        await using var stream = opened.Stream;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        for (var version = from; version < to; version++)
        {
            if (InlineCrashWriter.Content(key, version).AsSpan().SequenceEqual(copy.ToArray()))
            {
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(copy.ToArray())), opened.Record.ETag);
                return version;
            }
        }

        var held = Enumerable.Range(0, to + 1000).Where(v => InlineCrashWriter.Content(key, v).AsSpan().SequenceEqual(copy.ToArray())).Select(v => $"{v}").FirstOrDefault("none");
        Assert.Fail($"{key} holds bytes of no version from {from} to {to - 1} (it holds version {held}).");
        return null;
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
