using System.Globalization;

namespace Slipway.Storage.S3;

/// <summary>A single <c>Range: bytes=…</c> (S3 serves one range; a multi-range header gets the whole object).</summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>Null to serve the whole object; throws InvalidRange (416) when the range cannot be satisfied.</summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return null;
            }

            if (suffix == 0 || size == 0)
            {
                throw Unsatisfiable(size);
            }

            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        long end = size - 1;
        if (last.Length > 0 && (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start))
        {
            return null;
        }

        if (start >= size)
        {
            throw Unsatisfiable(size);
        }

        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }

    public string ContentRange(long size) => $"bytes {Start}-{Start + Length - 1}/{size}";

    private static S3Exception Unsatisfiable(long size) => new(416, "InvalidRange", "The requested range is not satisfiable",
        [new("RangeRequested", ""), new("ActualObjectSize", size.ToString(CultureInfo.InvariantCulture))]);
}
