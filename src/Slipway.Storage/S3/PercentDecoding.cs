using System.Buffers;
using System.Text;

namespace Slipway.Storage.S3;

/// <summary>Decodes the %XX escapes of a request target's path or query text; a '%' not followed by two hex digits stays.</summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string Decode(ReadOnlySpan<char> raw)
    {
        var percent = raw.IndexOf('%');
        if (percent < 0)
        {
            return raw.ToString();
        }

        // Every request decodes a few of these (a presigned URL's credential, most keys): the text between escapes is
        // transcoded a run at a time into a pooled buffer.
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(raw.Length));
        try
        {
            var length = 0;
            while (percent >= 0)
            {
                length += Encoding.UTF8.GetBytes(raw[..percent], bytes.AsSpan(length));
                raw = raw[percent..];
                if (raw.Length > 2 && Uri.IsHexDigit(raw[1]) && Uri.IsHexDigit(raw[2]))
                {
                    bytes[length++] = (byte)((Uri.FromHex(raw[1]) << 4) | Uri.FromHex(raw[2]));
                    raw = raw[3..];
                }
                else
                {
                    bytes[length++] = (byte)'%';
                    raw = raw[1..];
                }

                percent = raw.IndexOf('%');
            }

            length += Encoding.UTF8.GetBytes(raw, bytes.AsSpan(length));
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw new S3Exception(400, "InvalidURI", "Couldn't parse the specified URI: it is not valid UTF-8 after percent-decoding.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
