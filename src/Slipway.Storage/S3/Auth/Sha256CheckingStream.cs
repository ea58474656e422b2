using System.Security.Cryptography;

namespace Slipway.Storage.S3.Auth;

/// <summary>Passes the body through and, at its end, checks it against the signed <c>x-amz-content-sha256</c>.</summary>
internal sealed class Sha256CheckingStream(Stream inner, string expectedHex) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(destination, cancellationToken);
        if (read > 0)
        {
            _hash.AppendData(destination.Span[..read]);
        }
        else if (!_checked)
        {
            _checked = true;
            if (!string.Equals(SigV4.Hex(_hash.GetHashAndReset()), expectedHex, StringComparison.OrdinalIgnoreCase))
            {
                throw new S3Exception(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    [new("ClientComputedContentSHA256", expectedHex)]);
            }
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _hash.Dispose();
        base.Dispose(disposing);
    }
}
