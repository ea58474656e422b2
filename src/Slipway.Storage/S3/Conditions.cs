using System.Globalization;
using Slipway.Storage.Engine;

namespace Slipway.Storage.S3;

/// <summary>HTTP conditional requests as S3 evaluates them (RFC 7232 precedence, one-second Last-Modified resolution).</summary>
internal static class Conditions
{
    /// <summary>For GET/HEAD: null to serve, 304 or 412 otherwise.</summary>
    public static int? Evaluate(ObjectRecord record, string? ifMatch, string? ifNoneMatch, string? ifModifiedSince, string? ifUnmodifiedSince)
    {
        var modified = Truncate(record.LastModified);
        if (ifMatch is not null)
        {
            if (!Matches(ifMatch, record.ETag))
            {
                return 412;
            }
        }
        else if (Date(ifUnmodifiedSince) is { } unmodifiedSince && modified > unmodifiedSince)
        {
            return 412;
        }

        if (ifNoneMatch is not null)
        {
            if (Matches(ifNoneMatch, record.ETag))
            {
                return 304;
            }
        }
        else if (Date(ifModifiedSince) is { } modifiedSince && modified <= modifiedSince)
        {
            return 304;
        }

        return null;
    }

    /// <summary>Conditional writes: <c>If-None-Match: *</c> (create only) and <c>If-Match</c> (replace only that version).</summary>
    public static Action<ObjectRecord?>? ForWrite(string? ifMatch, string? ifNoneMatch, string key)
    {
        if (ifMatch is null && ifNoneMatch is null)
        {
            return null;
        }

        if (ifNoneMatch is not null && ifNoneMatch.Trim() != "*")
        {
            throw S3Exception.NotImplemented("If-None-Match with an ETag on a write (only * is supported, as in S3)");
        }

        return current =>
        {
            if (ifNoneMatch is not null && current is not null)
            {
                throw S3Exception.PreconditionFailed("If-None-Match");
            }

            if (ifMatch is not null)
            {
                if (current is null)
                {
                    throw S3Exception.NoSuchKey(key);
                }

                if (!Matches(ifMatch, current.ETag))
                {
                    throw S3Exception.PreconditionFailed("If-Match");
                }
            }
        };
    }

    public static bool Matches(string header, string etag) =>
        header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t.Trim('"') == etag || (t.StartsWith("W/", StringComparison.Ordinal) && t[2..].Trim('"') == etag));

    private static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private static DateTimeOffset? Date(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
