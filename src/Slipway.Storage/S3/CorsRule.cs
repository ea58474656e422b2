using System.Globalization;
using System.Xml.Linq;

namespace Slipway.Storage.S3;

/// <summary>One rule of a bucket's CORS configuration (<c>PutBucketCors</c>), matched as S3 matches it.</summary>
internal sealed record CorsRule(
    IReadOnlyList<string> Origins, IReadOnlyList<string> Methods, IReadOnlyList<string> Headers, IReadOnlyList<string> ExposeHeaders, int? MaxAgeSeconds)
{
    private static readonly string[] SupportedMethods = ["GET", "PUT", "POST", "DELETE", "HEAD"];

    /// <summary>What the dashboard at <paramref name="origin"/> needs of a bucket: list, preview, upload, delete.</summary>
    public static CorsRule Dashboard(string origin) => new([origin], SupportedMethods, ["*"], ["ETag", "Content-Length", "Content-Type", "Last-Modified"], 600);

    public static IReadOnlyList<CorsRule> Parse(XElement configuration)
    {
        var rules = configuration.Children("CORSRule").Select(rule => new CorsRule(
            rule.Children("AllowedOrigin").Select(e => e.Value.Trim()).ToList(),
            rule.Children("AllowedMethod").Select(e => e.Value.Trim()).ToList(),
            rule.Children("AllowedHeader").Select(e => e.Value.Trim()).ToList(),
            rule.Children("ExposeHeader").Select(e => e.Value.Trim()).ToList(),
            int.TryParse(rule.ChildValue("MaxAgeSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var age) ? age : null)).ToList();
        if (rules.Count is 0 or > 100 || rules.Any(r => r.Origins.Count == 0 || r.Methods.Count == 0))
        {
            throw S3Exception.MalformedXml();
        }

        if (rules.SelectMany(r => r.Methods).FirstOrDefault(m => !SupportedMethods.Contains(m)) is { } unsupported)
        {
            throw S3Exception.InvalidRequest($"Found unsupported HTTP method in CORS config. Unsupported method is {unsupported}");
        }

        return rules;
    }

    public static XElement Render(IReadOnlyList<CorsRule> rules) => S3Xml.E("CORSConfiguration", rules.Select(rule => S3Xml.E("CORSRule",
        rule.Headers.Select(h => S3Xml.E("AllowedHeader", h)),
        rule.Methods.Select(m => S3Xml.E("AllowedMethod", m)),
        rule.Origins.Select(o => S3Xml.E("AllowedOrigin", o)),
        rule.ExposeHeaders.Select(h => S3Xml.E("ExposeHeader", h)),
        rule.MaxAgeSeconds is { } age ? S3Xml.E("MaxAgeSeconds", age) : null)));

    /// <summary>The first rule allowing <paramref name="origin"/> to use <paramref name="method"/> with <paramref name="requestHeaders"/>.</summary>
    public static CorsRule? Match(IReadOnlyList<CorsRule> rules, string origin, string method, IReadOnlyList<string> requestHeaders) =>
        rules.FirstOrDefault(rule =>
            rule.Origins.Any(o => Wildcard(o, origin)) && rule.Methods.Contains(method, StringComparer.Ordinal)
            && requestHeaders.All(h => rule.Headers.Any(allowed => Wildcard(allowed.ToLowerInvariant(), h.ToLowerInvariant()))));

    /// <summary>S3 allows one <c>*</c> per pattern.</summary>
    private static bool Wildcard(string pattern, string value)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        return star < 0
            ? string.Equals(pattern, value, StringComparison.Ordinal)
            : value.Length >= pattern.Length - 1 && value.StartsWith(pattern[..star], StringComparison.Ordinal) && value.EndsWith(pattern[(star + 1)..], StringComparison.Ordinal);
    }
}
