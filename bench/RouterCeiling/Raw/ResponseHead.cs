using System.Text;

namespace Slipway.RouterCeiling.Raw;

/// <summary>How the dyno frames a response body, from its head (RFC 9112 section 6.3).</summary>
internal enum BodyFraming { None, ContentLength, Chunked, UntilClose }

/// <summary>A parsed HTTP/1.1 response head: status, the headers to pass on, body framing and whether the connection may be reused.</summary>
internal sealed class ResponseHead
{
    public int Status;
    public BodyFraming Framing;
    public long ContentLength;
    public bool KeepAlive;
    public readonly List<KeyValuePair<string, string>> Headers = new(8);

    /// <summary>Parses <paramref name="head"/> (everything up to and including the blank line). False when it is malformed.</summary>
    public bool TryParse(ReadOnlySpan<byte> head, bool requestWasHead)
    {
        Headers.Clear();
        ContentLength = -1;
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 12)
        {
            return false;
        }
        var statusLine = head[..lineEnd];
        // "HTTP/1.x SSS reason": HTTP/1.0 closes unless it says keep-alive, which we do not ask for.
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' ' || !TryStatus(statusLine.Slice(9, 3), out Status)
            || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            return false;
        }
        KeepAlive = statusLine[7] == (byte)'1';
        var chunked = false;
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                return false;
            }
            if (end == 0)
            {
                break;
            }
            var line = rest[..end];
            rest = rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            // A name must be a token: no empty name, no whitespace before the colon (RFC 9112 section 5.1).
            if (colon <= 0 || line[colon - 1] == (byte)' ' || line[colon - 1] == (byte)'\t' || line[0] == (byte)' ' || line[0] == (byte)'\t')
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (name.SequenceEqual("Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!TryLength(value, out var length) || (ContentLength >= 0 && ContentLength != length))
                {
                    return false;
                }
                ContentLength = length;
                Headers.Add(new("Content-Length", Encoding.Latin1.GetString(value)));
                continue;
            }
            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // Only "chunked" last is a framing we can read; anything else is read until close (section 6.3 rule 4).
                chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
                if (!chunked)
                {
                    KeepAlive = false;
                }
                continue;
            }
            if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                if (ContainsToken(value, "close"u8))
                {
                    KeepAlive = false;
                }
                continue;
            }
            if (IsHopByHop(name))
            {
                continue;
            }
            Headers.Add(new(HeaderName(name), Encoding.Latin1.GetString(value)));
        }
        Framing = requestWasHead || Status is 204 or 304 || Status < 200 ? BodyFraming.None
            : chunked ? BodyFraming.Chunked
            : ContentLength >= 0 ? BodyFraming.ContentLength
            : BodyFraming.UntilClose;
        if (chunked)
        {
            // Transfer-Encoding wins over Content-Length, and the length must not be passed on (section 6.3 rule 3).
            Headers.RemoveAll(h => h.Key == "Content-Length");
            ContentLength = -1;
        }
        if (Framing == BodyFraming.UntilClose)
        {
            KeepAlive = false;
        }
        return true;
    }

    private static bool TryStatus(ReadOnlySpan<byte> digits, out int status)
    {
        status = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            status = status * 10 + d - '0';
        }
        return status >= 100;
    }

    private static bool TryLength(ReadOnlySpan<byte> digits, out long length)
    {
        length = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            length = length * 10 + d - '0';
        }
        return true;
    }

    private static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsHopByHop(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Keep-Alive"u8) || Ascii.EqualsIgnoreCase(name, "Proxy-Connection"u8)
        || Ascii.EqualsIgnoreCase(name, "TE"u8) || Ascii.EqualsIgnoreCase(name, "Trailer"u8)
        || Ascii.EqualsIgnoreCase(name, "Upgrade"u8);

    // The dyno's common names as shared strings: one allocation less per header and request.
    private static string HeaderName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("Content-Type"u8) ? "Content-Type"
        : name.SequenceEqual("Date"u8) ? "Date"
        : Encoding.Latin1.GetString(name);
}
