using System.Globalization;
using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.Infrastructure;

/// <summary>
/// Signs hand-built requests for the cases the AWS SDK will not produce over plain HTTP (UNSIGNED-PAYLOAD, unsigned
/// trailers, skewed clocks, other services, tampered chunks). Signs host, x-amz-content-sha256, x-amz-date and any other
/// x-amz-* request header.
/// </summary>
internal static class RawSigner
{
    public static string Sign(HttpRequestMessage request, string accessKeyId, string secret, string payloadHash, DateTimeOffset when, string service = "s3")
    {
        var amzDate = when.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        var uri = request.RequestUri!;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = uri.Authority };
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                headers[name.ToLowerInvariant()] = string.Join(',', values);
            }
        }

        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var parts = p.Split('=', 2);
            return new KeyValuePair<string, string>(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }).ToList();
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = SigV4.CanonicalRequest(request.Method.Method, SigV4.UriEncode(Uri.UnescapeDataString(uri.AbsolutePath), true), SigV4.CanonicalQuery(query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")), signedHeaders, payloadHash);
        var scope = $"{amzDate[..8]}/us-east-1/{service}/aws4_request";
        var signature = SigV4.Sign(SigV4.SigningKey(secret, amzDate[..8], "us-east-1", service), SigV4.StringToSign(amzDate, scope, canonical));
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return signature;
    }
}
