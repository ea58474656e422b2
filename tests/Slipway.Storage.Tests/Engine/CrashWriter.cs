using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

/// <summary>
/// The child process of <see cref="CrashTests"/>: puts acknowledged objects (printing <c>acked key etag</c> after each
/// returns), then starts a write whose body never ends, prints <c>midwrite</c> once megabytes of it are in the store's
/// temp file, and waits to be killed with SIGKILL.
/// </summary>
internal static class CrashWriter
{
    public const string Flag = "--crash-writer";

    public static async Task<int> RunAsync(string[] args)
    {
        var (root, acked, partialKey) = (args[0], int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
        var store = new FileObjectStore(root);
        await store.CreateBucketAsync("crash", "account-1");
        for (var i = 0; i < acked; i++)
        {
            var key = $"acked-{i}";
            var record = await store.WriteObjectAsync(new ObjectWrite { Bucket = "crash", Key = key }, new MemoryStream(Content(key)));
            Console.WriteLine($"acked {key} {record.ETag}");
        }

        await Console.Out.FlushAsync();
        await store.WriteObjectAsync(new ObjectWrite { Bucket = "crash", Key = partialKey }, new EndlessStream(() => Console.WriteLine("midwrite")));
        return 1; // never reached: the body never ends
    }

    /// <summary>The bytes of an acknowledged object, derived from its key so the parent can check them.</summary>
    public static byte[] Content(string key) => [.. Enumerable.Range(0, 100_000).Select(i => (byte)(key.Sum(c => c) + i))];

    private sealed class EndlessStream(Action onMegabytes) : Stream
    {
        private long _written;
        private bool _announced;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (_written > 4 * 1024 * 1024)
            {
                if (!_announced)
                {
                    _announced = true;
                    onMegabytes();
                }

                await Task.Delay(Timeout.Infinite, cancellationToken); // a client that stalls mid-upload, until the kill
            }

            destination.Span.Fill(0x5A);
            _written += destination.Length;
            return destination.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
