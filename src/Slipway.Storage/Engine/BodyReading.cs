namespace Slipway.Storage.Engine;

/// <summary>Reads of a request body in whole buffers: a network stream returns whatever arrived, often less.</summary>
internal static class BodyReading
{
    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns how many bytes it holds.</summary>
    public static async Task<int> ReadFullAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
