using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

/// <summary>
/// The child process of <see cref="CrashTests"/> for inline objects: <see cref="Writers"/> concurrent writers each overwrite
/// their own keys with ever newer small versions (sharing group commits), printing <c>acked key version etag</c> after each
/// write returns, until SIGKILL.
/// </summary>
internal static class InlineCrashWriter
{
    public const string Flag = "--inline-crash-writer";
    public const int Writers = 8;
    public const int KeysPerWriter = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var store = new FileObjectStore(args[0]);
        await store.CreateBucketAsync("crash", "account-1");
        var output = TextWriter.Synchronized(Console.Out);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var version = 0; ; version++)
            {
                var key = Key(writer, version % KeysPerWriter);
                var record = await store.WriteObjectAsync(new ObjectWrite { Bucket = "crash", Key = key }, new MemoryStream(Content(key, version)));
                output.WriteLine($"acked {key} {version} {record.ETag}");
                output.Flush();
            }
        })));
        return 1; // never reached: the writers never stop
    }

    public static string Key(int writer, int slot) => $"w{writer}-k{slot}";

    /// <summary>A version's bytes (between 1 and 8 KiB), derived from its key and number so the parent can check them.</summary>
    public static byte[] Content(string key, int version) =>
        [.. Enumerable.Range(0, 1024 + ((version * 977) % 7168)).Select(i => (byte)(key.Sum(c => c) + (version * 31) + i))];
}
