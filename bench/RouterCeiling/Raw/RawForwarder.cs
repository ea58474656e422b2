using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.RouterCeiling.Raw;

/// <summary>
/// The upstream leg written directly on pooled sockets: the request head in one send, the response head parsed from the
/// connection's buffer, the body copied by its framing. No HttpClient, no YARP: what Kestrel alone costs as a proxy.
/// </summary>
internal sealed class RawForwarder(IPEndPoint dyno)
{
    private const int MaxHeadBytes = DynoConnection.BufferSize;
    private readonly DynoPool _pool = new(dyno);

    public async Task ForwardAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var requestId = NewRequestId();
        var (head, headLength) = RequestHeadWriter.Write(context, requestId, out var chunkedBody);
        var hasBody = chunkedBody || context.Request.ContentLength > 0;
        DynoConnection connection;
        try
        {
            while (true)
            {
                if (!_pool.TryRent(out connection))
                {
                    connection = await DynoConnection.ConnectAsync(_pool.Endpoint, aborted);
                }
                try
                {
                    await connection.Socket.SendAsync(head.AsMemory(0, headLength), SocketFlags.None, aborted);
                    if (hasBody)
                    {
                        await SendBodyAsync(context, connection, chunkedBody, aborted);
                    }
                    if (await ReadHeadAsync(connection, aborted) is { } end)
                    {
                        await RespondAsync(context, connection, end, aborted);
                        return;
                    }
                    throw new IOException("the dyno closed the connection before a response");
                }
                // A pooled connection the dyno closed while idle: try a fresh one when nothing of the body was consumed.
                catch (Exception) when (connection.Reused && !hasBody && connection.End == 0)
                {
                    connection.Dispose();
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    // As the router makes them: Guid.NewGuid asks the kernel's CSPRNG, which costs more than this whole leg's parsing.
    private static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    /// <summary>Receives until the blank line; returns the offset just past it, or null when the dyno closed first.</summary>
    private static async ValueTask<int?> ReadHeadAsync(DynoConnection connection, CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var received = connection.Received;
            var at = received[Math.Max(0, searched - 3)..].IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                return connection.Start + Math.Max(0, searched - 3) + at + 4;
            }
            searched = received.Length;
            if (searched >= MaxHeadBytes)
            {
                throw new InvalidDataException("the dyno's response head is too large");
            }
            if (await connection.FillAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
    }

    private async Task RespondAsync(HttpContext context, DynoConnection connection, int headEnd, CancellationToken cancellationToken)
    {
        var parsed = new ResponseHead();
        if (!parsed.TryParse(connection.Buffer.AsSpan(connection.Start, headEnd - connection.Start), HttpMethods.IsHead(context.Request.Method)))
        {
            throw new InvalidDataException("malformed response head from the dyno");
        }
        connection.Start = headEnd;
        var response = context.Response;
        response.StatusCode = parsed.Status;
        foreach (var (name, value) in parsed.Headers)
        {
            response.Headers.Append(name, value);
        }
        switch (parsed.Framing)
        {
            case BodyFraming.ContentLength:
                await CopyLengthAsync(connection, response, parsed.ContentLength, cancellationToken);
                break;
            case BodyFraming.Chunked:
                await CopyChunkedAsync(connection, response, cancellationToken);
                break;
            case BodyFraming.UntilClose:
                await CopyLengthAsync(connection, response, long.MaxValue, cancellationToken);
                break;
        }
        if (parsed.KeepAlive && connection.Start == connection.End)
        {
            connection.Start = connection.End = 0;
            _pool.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    private static async ValueTask CopyLengthAsync(DynoConnection connection, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            if (connection.Start == connection.End && await connection.FillAsync(cancellationToken) == 0)
            {
                if (length == long.MaxValue)
                {
                    return;
                }
                throw new IOException("the dyno closed the connection inside a response body");
            }
            var take = (int)Math.Min(length, connection.End - connection.Start);
            await response.Body.WriteAsync(connection.Buffer.AsMemory(connection.Start, take), cancellationToken);
            connection.Start += take;
            length -= take;
        }
    }

    private static async ValueTask CopyChunkedAsync(DynoConnection connection, HttpResponse response, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(connection, cancellationToken);
            var size = ChunkSize(connection.Buffer.AsSpan(line.Start, line.Length));
            if (size == 0)
            {
                // Trailers are dropped (Kestrel would need them declared up front); read to the blank line.
                while ((await ReadLineAsync(connection, cancellationToken)).Length != 0)
                {
                }
                return;
            }
            await CopyLengthAsync(connection, response, size, cancellationToken);
            if ((await ReadLineAsync(connection, cancellationToken)).Length != 0)
            {
                throw new InvalidDataException("a chunk from the dyno is longer than its size");
            }
        }
    }

    private static async ValueTask<(int Start, int Length)> ReadLineAsync(DynoConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = connection.Received.IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = (connection.Start, at);
                connection.Start += at + 2;
                return line;
            }
            if (await connection.FillAsync(cancellationToken) == 0)
            {
                throw new IOException("the dyno closed the connection inside a chunked body");
            }
        }
    }

    private static long ChunkSize(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var hex = (semicolon >= 0 ? line[..semicolon] : line).Trim(" \t"u8);
        if (hex.IsEmpty || hex.Length > 15 || !long.TryParse(Encoding.ASCII.GetString(hex), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var size))
        {
            throw new InvalidDataException("malformed chunk size from the dyno");
        }
        return size;
    }

    private static async ValueTask SendBodyAsync(HttpContext context, DynoConnection connection, bool chunked, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer.AsMemory(0, buffer.Length - 32), cancellationToken)) > 0)
            {
                if (chunked)
                {
                    await connection.Socket.SendAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), SocketFlags.None, cancellationToken);
                    buffer[n] = (byte)'\r';
                    buffer[n + 1] = (byte)'\n';
                    n += 2;
                }
                await connection.Socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
            }
            if (chunked)
            {
                await connection.Socket.SendAsync("0\r\n\r\n"u8.ToArray(), SocketFlags.None, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
