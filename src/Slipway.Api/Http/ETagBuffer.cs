using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Slipway.Api.Http;

/// <summary>
/// Holds a GET's JSON body until the endpoint is done so it can carry an <c>ETag</c> (and become a 304 for a matching
/// <c>If-None-Match</c>). Anything that is not JSON (build output, log streams, git) passes straight through, flushes included.
/// </summary>
internal sealed class ETagBuffer(HttpContext context, Stream inner) : Stream
{
    private MemoryStream? _buffer;
    private bool _decided;

    /// <summary>Sends what was held, with its ETag, or a 304 when the client's copy is current.</summary>
    public async Task CompleteAsync()
    {
        if (_buffer is null)
        {
            return;
        }

        var response = context.Response;
        var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length)))[..32]}\"";
        response.Headers.ETag = tag;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (response.StatusCode == 200 && ifNoneMatch.Length > 0
            && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim().TrimStart('W', '/') == tag)))
        {
            response.StatusCode = 304;
            response.ContentLength = null;
            return;
        }

        response.ContentLength = _buffer.Length;
        _buffer.Position = 0;
        await _buffer.CopyToAsync(inner, context.RequestAborted);
    }

    private Stream Target()
    {
        if (!_decided)
        {
            _decided = true;
            var type = context.Response.ContentType ?? "";
            if (context.Response.StatusCode is 200 && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase)))
            {
                _buffer = new MemoryStream();
            }
        }

        return _buffer ?? inner;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
        if (Target() == inner)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Target() == inner ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count) => Target().Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Target().WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Target().WriteAsync(buffer, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
