namespace Slipway.Runtime.Tests.Logs;

/// <summary>Waits (bounded) for something another thread does; never asserts on how long it took.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, Func<string> describe, int seconds = 20)
    {
        for (var waited = 0; waited < seconds * 100; waited++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"Gave up waiting: {describe()}");
    }
}

/// <summary>An output stream another thread can read as text while it is being written.</summary>
internal sealed class CapturedStream : Stream
{
    private readonly MemoryStream _bytes = new();

    public string Text
    {
        get
        {
            lock (_bytes)
            {
                return System.Text.Encoding.UTF8.GetString(_bytes.ToArray());
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_bytes)
        {
            _bytes.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
