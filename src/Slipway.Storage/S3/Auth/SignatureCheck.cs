using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Checks a SigV4 signature by writing the canonical request and the string to sign as UTF-8 into pooled buffers and
/// hashing them there, instead of building them as strings (<see cref="SigV4"/>'s string forms give the same bytes).
/// Every request signed anew pays this, so it allocates nothing unless the signature is wrong, when the two texts are
/// returned for the error as S3 shows them.
/// </summary>
internal static class SignatureCheck
{
    private const int StackQueryPairs = 16;

    public static bool Matches(
        byte[] signingKey, string amzDate, string scope, string method, string canonicalUri, IReadOnlyList<KeyValuePair<string, string>> query,
        string canonicalHeaders, string signedHeaders, string payloadHash, string provided, out string? canonicalRequest, out string? stringToSign)
    {
        var canonical = new Utf8Writer(1024);
        var toSign = new Utf8Writer(256);
        try
        {
            canonical.AppendLine(method);
            canonical.AppendLine(canonicalUri);
            AppendCanonicalQuery(ref canonical, query);
            canonical.Append((byte)'\n');
            canonical.AppendLine(canonicalHeaders);
            canonical.AppendLine(signedHeaders);
            canonical.Append(payloadHash);

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(canonical.Written, hash);
            toSign.AppendLine(SigV4.Algorithm);
            toSign.AppendLine(amzDate);
            toSign.AppendLine(scope);
            toSign.AppendHex(hash);

            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Hmac(signingKey, toSign.Written, expected);
            if (HexEquals(expected, provided))
            {
                canonicalRequest = null;
                stringToSign = null;
                return true;
            }

            canonicalRequest = Encoding.UTF8.GetString(canonical.Written);
            stringToSign = Encoding.UTF8.GetString(toSign.Written);
            return false;
        }
        finally
        {
            canonical.Dispose();
            toSign.Dispose();
        }
    }

    /// <summary>
    /// HMAC-SHA256 with the thread's last signing key kept keyed: the key of a day and secret is the same array for every
    /// request (<see cref="SigningKeyCache"/>), and keying an HMAC anew costs about as much as hashing a short message.
    /// </summary>
    private static void Hmac(byte[] key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        // Taken off the thread while in use: an exception half-way leaves no half-fed HMAC behind for the next request.
        var keyed = t_hmac;
        t_hmac = null;
        if (keyed is null || !ReferenceEquals(keyed.Key, key))
        {
            keyed?.Hash.Dispose();
            keyed = new KeyedHmac(key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        }

        keyed.Hash.AppendData(data);
        keyed.Hash.GetHashAndReset(mac);
        t_hmac = keyed;
    }

    [ThreadStatic]
    private static KeyedHmac? t_hmac;

    private sealed record KeyedHmac(byte[] Key, IncrementalHash Hash);

    /// <summary>Compares in constant time; the provided hex may be in either case, as S3 accepts.</summary>
    private static bool HexEquals(ReadOnlySpan<byte> expected, string provided)
    {
        Span<byte> decoded = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return provided.Length == 2 * expected.Length
            && Convert.FromHexString(provided, decoded, out _, out var written) == OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, decoded);
    }

    /// <summary>Every parameter but the signature, each name and value URI-encoded, sorted by name then value, joined by '&amp;'.</summary>
    internal static void AppendCanonicalQuery(ref Utf8Writer writer, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return;
        }

        // Encoded pairs go into a scratch buffer first: the order is that of the encoded bytes (ASCII, so ordinal).
        var pairs = new Utf8Writer(256);
        Span<Pair> ranges = query.Count <= StackQueryPairs ? stackalloc Pair[StackQueryPairs] : new Pair[query.Count];
        try
        {
            var count = 0;
            foreach (var (name, value) in query)
            {
                if (name == "X-Amz-Signature")
                {
                    continue;
                }

                var start = pairs.Length;
                pairs.AppendUriEncoded(name, keepSlash: false);
                var nameLength = pairs.Length - start;
                pairs.AppendUriEncoded(value, keepSlash: false);
                var pair = new Pair(start, nameLength, pairs.Length - start);

                // Insertion sort: a request has a handful of parameters.
                var at = count++;
                while (at > 0 && Compare(pairs.Written, ranges[at - 1], pair) > 0)
                {
                    ranges[at] = ranges[at - 1];
                    at--;
                }

                ranges[at] = pair;
            }

            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    writer.Append((byte)'&');
                }

                var bytes = pairs.Written.Slice(ranges[i].Start, ranges[i].Length);
                writer.Append(bytes[..ranges[i].NameLength]);
                writer.Append((byte)'=');
                writer.Append(bytes[ranges[i].NameLength..]);
            }
        }
        finally
        {
            pairs.Dispose();
        }
    }

    private static int Compare(ReadOnlySpan<byte> all, Pair a, Pair b)
    {
        var byName = all.Slice(a.Start, a.NameLength).SequenceCompareTo(all.Slice(b.Start, b.NameLength));
        return byName != 0 ? byName : all.Slice(a.Start + a.NameLength, a.Length - a.NameLength).SequenceCompareTo(all.Slice(b.Start + b.NameLength, b.Length - b.NameLength));
    }

    private readonly record struct Pair(int Start, int NameLength, int Length);
}

/// <summary>UTF-8 text appended into a buffer rented from the shared pool, which grows by renting a larger one.</summary>
internal struct Utf8Writer(int capacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Append(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(Length));
    }

    /// <summary>The text and a '\n', as SigV4 joins the lines it signs.</summary>
    public void AppendLine(ReadOnlySpan<char> text)
    {
        Append(text);
        Append((byte)'\n');
    }

    /// <summary>Lower-case hex, as SigV4 writes hashes.</summary>
    public void AppendHex(ReadOnlySpan<byte> bytes)
    {
        Ensure(2 * bytes.Length);
        foreach (var b in bytes)
        {
            _buffer[Length++] = (byte)"0123456789abcdef"[b >> 4];
            _buffer[Length++] = (byte)"0123456789abcdef"[b & 0xF];
        }
    }

    /// <summary>What <see cref="SigV4.UriEncode"/> returns, as UTF-8: unreserved characters kept, every other byte %XX.</summary>
    public void AppendUriEncoded(ReadOnlySpan<char> text, bool keepSlash)
    {
        var plain = 0;
        while (plain < text.Length && SigV4.IsUnreserved(text[plain], keepSlash))
        {
            plain++;
        }

        Append(text[..plain]);
        if (plain == text.Length)
        {
            return;
        }

        var rest = text[plain..];
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(rest.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(rest, utf8);
            Ensure(3 * count);
            foreach (var b in utf8.AsSpan(0, count))
            {
                if (SigV4.IsUnreserved((char)b, keepSlash))
                {
                    _buffer[Length++] = b;
                }
                else
                {
                    _buffer[Length++] = (byte)'%';
                    _buffer[Length++] = (byte)"0123456789ABCDEF"[b >> 4];
                    _buffer[Length++] = (byte)"0123456789ABCDEF"[b & 0xF];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(2 * _buffer.Length, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
