using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Slipway.Storage.S3.Auth;

/// <summary>The pieces of AWS Signature Version 4 (canonical request, string to sign, signing key) as S3 computes them.</summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>S3 refuses requests whose time is more than 15 minutes off the server's.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>RFC 3986 encoding as AWS specifies it: unreserved characters kept, everything else %XX of its UTF-8 bytes.</summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        // Most names and values need no escaping: return them as they are instead of building a copy.
        var first = 0;
        while (first < value.Length && IsUnreserved(value[first], keepSlash))
        {
            first++;
        }

        if (first == value.Length)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length * 2);
        builder.Append(value, 0, first);
        foreach (var b in Encoding.UTF8.GetBytes(value[first..]))
        {
            var c = (char)b;
            if (IsUnreserved(c, keepSlash))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The canonical query string: every parameter but the signature, decoded, re-encoded, sorted.</summary>
    public static string CanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var encoded = new (string Name, string Value)[parameters.Count];
        var count = 0;
        foreach (var (name, value) in parameters)
        {
            if (name != "X-Amz-Signature")
            {
                encoded[count++] = (UriEncode(name, false), UriEncode(value, false));
            }
        }

        var pairs = encoded.AsSpan(0, count);
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        var builder = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(name).Append('=').Append(value);
        }

        return builder.ToString();
    }

    /// <summary>
    /// <c>name:value\n</c> for each signed header, in the order signed: values trimmed, inner runs of spaces collapsed,
    /// repeated headers joined by commas. <paramref name="signedHeaders"/> is the <c>;</c>-separated list as sent.
    /// </summary>
    public static string CanonicalHeaders(IHeaderDictionary headers, string signedHeaders)
    {
        var first = signedHeaders.IndexOf(';', StringComparison.Ordinal);
        if (first < 0)
        {
            // One signed header (a presigned URL's "host"): the thread's last line when name and value are the same, or
            // one string, no builder.
            var only = HeaderName(signedHeaders);
            if (headers[only] is not { Count: 1 } single)
            {
                return Append(new StringBuilder(), only, headers[only]).ToString();
            }

            var value = single[0] ?? "";
            if (t_single is { } last && string.Equals(last.Name, only, StringComparison.Ordinal) && string.Equals(last.Value, value, StringComparison.Ordinal))
            {
                return last.Line;
            }

            var line = string.Concat(only, ":", CollapseSpaces(value), "\n");
            t_single = (only, value, line);
            return line;
        }

        // The thread's builder, reused: a header-signed request (SDKs) signs three to six headers.
        var builder = t_builder ?? new StringBuilder(256);
        t_builder = null;
        foreach (var range in signedHeaders.AsSpan().Split(';'))
        {
            var name = HeaderName(signedHeaders.AsSpan()[range]);
            Append(builder, name, headers[name]);
        }

        var canonical = builder.ToString();
        if (builder.Capacity <= 4096)
        {
            t_builder = builder.Clear();
        }

        return canonical;
    }

    [ThreadStatic]
    private static StringBuilder? t_builder;

    [ThreadStatic]
    private static (string Name, string Value, string Line)? t_single;

    private static StringBuilder Append(StringBuilder builder, string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        builder.Append(name).Append(':');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(CollapseSpaces(values[i] ?? ""));
        }

        return builder.Append('\n');
    }

    /// <summary>The header names SDKs sign, as constants, so that looking them up allocates no string.</summary>
    private static string HeaderName(ReadOnlySpan<char> name)
    {
        foreach (var known in KnownSignedHeaders)
        {
            if (name.SequenceEqual(known))
            {
                return known;
            }
        }

        return name.ToString();
    }

    private static readonly string[] KnownSignedHeaders =
        ["host", "x-amz-date", "x-amz-content-sha256", "content-type", "content-md5", "content-length", "x-amz-decoded-content-length", "x-amz-security-token", "x-amz-trailer", "range"];

    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders, string signedHeaders, string payloadHash) =>
        $"{method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        Span<byte> key = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date), key);
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region), key);
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service), key);
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Sign(byte[] signingKey, string stringToSign) => Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static bool SignaturesEqual(string expected, string provided) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(provided.ToLowerInvariant()));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>
    /// <c>yyyyMMdd'T'HHmmss'Z'</c>, UTC, read digit by digit: every request signed anew parses one, and the general
    /// <see cref="DateTimeOffset.TryParseExact(string, string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
    /// costs several times more. Accepts exactly what that call accepts with <see cref="DateFormat"/>.
    /// </summary>
    public static bool TryParseAmzDate(string? value, out DateTimeOffset date)
    {
        date = default;
        if (value is not { Length: 16 } || value[8] != 'T' || value[15] != 'Z'
            || !TryDigits(value, 0, 4, out var year) || !TryDigits(value, 4, 2, out var month) || !TryDigits(value, 6, 2, out var day)
            || !TryDigits(value, 9, 2, out var hour) || !TryDigits(value, 11, 2, out var minute) || !TryDigits(value, 13, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        date = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(string value, int start, int count, out int number)
    {
        number = 0;
        foreach (var c in value.AsSpan(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (10 * number) + (c - '0');
        }

        return true;
    }

    internal static bool IsUnreserved(char c, bool keepSlash) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/');

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
