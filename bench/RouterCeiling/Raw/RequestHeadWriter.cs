using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Slipway.RouterCeiling.Raw;

/// <summary>Writes the request head for the dyno from Kestrel's request into one pooled buffer, so it goes out in one send.</summary>
internal static class RequestHeadWriter
{
    /// <summary>The head's bytes in a rented array (return it to ArrayPool.Shared); <paramref name="chunked"/> says the body must be chunk-encoded.</summary>
    public static (byte[] Buffer, int Length) Write(HttpContext context, string requestId, out bool chunked)
    {
        var request = context.Request;
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        Append(ref buffer, ref length, request.Method);
        Append(ref buffer, ref length, " ");
        Append(ref buffer, ref length, context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
        Append(ref buffer, ref length, " HTTP/1.1\r\n");
        var connection = request.Headers.Connection;
        foreach (var header in request.Headers)
        {
            if (IsHopByHop(header.Key, connection))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                Append(ref buffer, ref length, header.Key);
                Append(ref buffer, ref length, ": ");
                Append(ref buffer, ref length, value ?? "");
                Append(ref buffer, ref length, "\r\n");
            }
        }
        Append(ref buffer, ref length, "X-Forwarded-For: ");
        Append(ref buffer, ref length, context.Connection.RemoteIpAddress?.ToString() ?? "");
        Append(ref buffer, ref length, "\r\nX-Request-Id: ");
        Append(ref buffer, ref length, requestId);
        // A body of unknown length (chunked from the client) is passed on chunked: no buffering, any size.
        chunked = request.ContentLength is null && context.Features.GetRequiredFeature<IHttpRequestBodyDetectionFeature>().CanHaveBody;
        Append(ref buffer, ref length, chunked ? "\r\nTransfer-Encoding: chunked\r\n\r\n" : "\r\n\r\n");
        return (buffer, length);
    }

    private static bool IsHopByHop(string name, StringValues connection)
    {
        if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // Headers the client named in Connection are for this hop only (RFC 9110 section 7.6.1).
        foreach (var list in connection)
        {
            foreach (var token in (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (name.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void Append(ref byte[] buffer, ref int length, string text)
    {
        if (length + text.Length > buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + text.Length));
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
        length += Encoding.Latin1.GetBytes(text, buffer.AsSpan(length));
    }
}
