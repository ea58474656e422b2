namespace Slipway.Router.Forwarding;

/// <summary>Passes the response body to the client, counting its bytes (<c>bytes=</c>) and noting when it last moved (H15).</summary>
public sealed class CountingStream(Stream inner) : Stream
{
    public long Written { get; private set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> time of the last write, or of creation.</summary>
    public long LastWrite { get; private set; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Written += buffer.Length;
        LastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Written += buffer.Length;
        LastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
