using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

/// <summary>
/// The child process of <see cref="CrashTests"/> for multipart completion: stores large parts, prints
/// <c>completing &lt;upload id&gt; &lt;etag,etag,…&gt;</c>, completes the upload (the concatenation the kill should
/// interrupt) and waits to be killed with SIGKILL.
/// </summary>
internal static class CrashCompleter
{
    public const string Flag = "--crash-completer";
    public const string Key = "video";
    private const int Parts = 3;
    private const int PartSize = 8 * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var store = new FileObjectStore(args[0]);
        await store.CreateBucketAsync("crash", "account-1");
        var upload = await store.CreateUploadAsync("crash", Key, new ObjectHeaders());
        var etags = new List<string>();
        for (var number = 1; number <= Parts; number++)
        {
            etags.Add((await store.PutPartAsync(upload, number, new MemoryStream(Part(number)), [], null)).ETag);
        }

        Console.WriteLine($"completing {upload.Id} {string.Join(',', etags)}");
        await Console.Out.FlushAsync();
        await store.CompleteUploadAsync(upload, etags.Select((etag, i) => (i + 1, etag)).ToList(), null);
        Console.WriteLine("completed");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
        return 1;
    }

    /// <summary>The whole object: every part in order.</summary>
    public static byte[] Content() => [.. Enumerable.Range(1, Parts).SelectMany(Part)];

    private static byte[] Part(int number) => [.. Enumerable.Range(0, PartSize).Select(i => (byte)((i * 7) + number))];
}
