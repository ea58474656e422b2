using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Decodes an <c>aws-chunked</c> body (<c>size;chunk-signature=…\r\n data \r\n … 0;…\r\n trailers \r\n</c>), checking each
/// chunk's signature against the previous one (seeded by the request signature) and, for the <c>-TRAILER</c> variants, the
/// trailing checksum headers and their signature. A bad chunk throws before the reader sees the end of the stream, so the
/// store never commits an object whose bytes were not all signed.
/// </summary>
internal sealed class AwsChunkedStream : Stream
{
    private const int MaxLine = 4096;
    private readonly Stream _inner;
    private readonly ChunkSigning? _signing;
    private readonly long? _decodedLength;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Dictionary<string, string> _trailers = new(StringComparer.OrdinalIgnoreCase);
    private int _position;
    private int _length;
    private long _remaining;
    private long _decoded;
    private bool _inChunk;
    private bool _done;
    private string? _chunkSignature;
    private IncrementalHash? _chunkHash;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="signing"/> is null for <c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>.</summary>
    public AwsChunkedStream(Stream inner, ChunkSigning? signing, long? decodedLength)
    {
        _inner = inner;
        _signing = signing;
        _decodedLength = decodedLength;
    }

    /// <summary>The trailing headers (<c>x-amz-checksum-crc32: …</c>), known once the stream has been read to the end.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _decoded; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (!_done)
        {
            if (!_inChunk)
            {
                await StartChunkAsync(cancellationToken);
                continue;
            }

            if (_remaining > 0)
            {
                if (_position == _length && !await FillAsync(cancellationToken))
                {
                    throw Incomplete();
                }

                var count = (int)Math.Min(Math.Min(_remaining, _length - _position), destination.Length);
                var data = _buffer.AsSpan(_position, count);
                data.CopyTo(destination.Span);
                _chunkHash?.AppendData(data);
                _position += count;
                _remaining -= count;
                _decoded += count;
                if (_remaining == 0)
                {
                    await EndChunkAsync(cancellationToken);
                }

                return count;
            }

            await EndChunkAsync(cancellationToken);
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _chunkHash?.Dispose();
        base.Dispose(disposing);
    }

    private async Task StartChunkAsync(CancellationToken cancellationToken)
    {
        var header = await ReadLineAsync(cancellationToken) ?? throw Incomplete();
        var semicolon = header.IndexOf(';', StringComparison.Ordinal);
        var sizeText = (semicolon < 0 ? header : header[..semicolon]).Trim();
        if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw new S3Exception(400, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes, and chunk sizes must be hexadecimal.");
        }

        _chunkSignature = null;
        if (semicolon >= 0)
        {
            foreach (var extension in header[(semicolon + 1)..].Split(';'))
            {
                var parts = extension.Split('=', 2);
                if (parts.Length == 2 && parts[0].Trim() == "chunk-signature")
                {
                    _chunkSignature = parts[1].Trim();
                }
            }
        }

        if (_signing is not null && _chunkSignature is null)
        {
            throw new S3Exception(403, "SignatureDoesNotMatch", "A chunk of the aws-chunked body carries no chunk-signature.");
        }

        _remaining = size;
        _inChunk = true;
        _chunkHash?.Dispose();
        _chunkHash = _signing is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (size == 0)
        {
            VerifyChunk();
            await ReadTrailersAsync(cancellationToken);
            if (_decodedLength is { } expected && expected != _decoded)
            {
                throw Incomplete();
            }

            _done = true;
        }
    }

    private async Task EndChunkAsync(CancellationToken cancellationToken)
    {
        VerifyChunk();
        var terminator = await ReadLineAsync(cancellationToken);
        if (terminator is null || terminator.Length != 0)
        {
            throw Incomplete();
        }

        _inChunk = false;
    }

    private void VerifyChunk()
    {
        if (_signing is null)
        {
            return;
        }

        var dataHash = SigV4.Hex(_chunkHash!.GetHashAndReset());
        var expected = _signing.NextChunk(dataHash);
        if (!SigV4.SignaturesEqual(expected, _chunkSignature!))
        {
            throw new S3Exception(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                [new("AWSAccessKeyId", _signing.AccessKeyId), new("SignatureProvided", _chunkSignature!)]);
        }
    }

    private async Task ReadTrailersAsync(CancellationToken cancellationToken)
    {
        var canonical = new StringBuilder();
        string? trailerSignature = null;
        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new S3Exception(400, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            _trailers[name] = value;
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        if (_signing is { SignedTrailer: true })
        {
            var expected = _signing.Trailer(SigV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()))));
            if (trailerSignature is null || !SigV4.SignaturesEqual(expected, trailerSignature))
            {
                throw new S3Exception(403, "SignatureDoesNotMatch", "The trailing header signature does not match the signature you provided.",
                    [new("AWSAccessKeyId", _signing.AccessKeyId), new("SignatureProvided", trailerSignature ?? "")]);
            }
        }
    }

    /// <summary>A CRLF-terminated line without its terminator; null at the end of the stream.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_position == _length && !await FillAsync(cancellationToken))
            {
                return line.Count == 0 ? null : throw Incomplete();
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _position, _length - _position);
            var end = newline < 0 ? _length : newline;
            line.AddRange(_buffer.AsSpan(_position, end - _position));
            _position = newline < 0 ? _length : newline + 1;
            if (line.Count > MaxLine)
            {
                throw new S3Exception(400, "InvalidChunkSizeError", "An aws-chunked header line is too long.");
            }

            if (newline >= 0)
            {
                if (line.Count > 0 && line[^1] == '\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.ASCII.GetString(line.ToArray());
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _position = 0;
        _length = await _inner.ReadAsync(_buffer, cancellationToken);
        return _length > 0;
    }

    private static S3Exception Incomplete() =>
        new(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
}

/// <summary>The rolling chunk signatures of a signed aws-chunked body: each chunk is signed over the previous signature.</summary>
internal sealed class ChunkSigning(byte[] signingKey, string amzDate, string scope, string seedSignature, string accessKeyId, bool signedTrailer)
{
    private string _previous = seedSignature;

    public string AccessKeyId { get; } = accessKeyId;

    public bool SignedTrailer { get; } = signedTrailer;

    public string NextChunk(string dataHash)
    {
        _previous = SigV4.Sign(signingKey, $"AWS4-HMAC-SHA256-PAYLOAD\n{amzDate}\n{scope}\n{_previous}\n{SigV4.EmptySha256}\n{dataHash}");
        return _previous;
    }

    public string Trailer(string trailerHash) =>
        SigV4.Sign(signingKey, $"AWS4-HMAC-SHA256-TRAILER\n{amzDate}\n{scope}\n{_previous}\n{trailerHash}");
}
