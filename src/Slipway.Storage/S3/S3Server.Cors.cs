using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using static Slipway.Storage.S3.S3Xml;

namespace Slipway.Storage.S3;

/// <summary>Bucket CORS: configuration endpoints, preflight answers, and the headers on actual cross-origin requests.</summary>
public sealed partial class S3Server
{
    // Parsed once per cached bucket record: keyed by the identity of its CORS text, so an updated bucket (a new record) parses anew.
    private static readonly ConditionalWeakTable<string, IReadOnlyList<CorsRule>> ParsedCors = new();

    private async Task PutBucketCorsAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Write);
        var rules = CorsRule.Parse(await ReadAsync(r.Body, r.Context.RequestAborted));
        await _store.SetBucketCorsAsync(r.Bucket!, CorsRule.Render(rules).ToString(SaveOptions.DisableFormatting), r.Context.RequestAborted);
    }

    private async Task GetBucketCorsAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        if (bucket.Cors is null)
        {
            throw new S3Exception(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist", [new("BucketName", bucket.Name)]);
        }

        await WriteAsync(r.Context, XElement.Parse(bucket.Cors));
    }

    private async Task DeleteBucketCorsAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Write);
        await _store.SetBucketCorsAsync(r.Bucket!, null, r.Context.RequestAborted);
        r.Context.Response.StatusCode = 204;
    }

    /// <summary>A browser's <c>OPTIONS</c> preflight: no credentials, answered from the bucket's CORS rules.</summary>
    private async Task PreflightAsync(S3Request r)
    {
        var origin = r.Header("Origin");
        var method = r.Header("Access-Control-Request-Method");
        if (string.IsNullOrEmpty(origin))
        {
            throw new S3Exception(400, "BadRequest", "Insufficient information. Origin request header needed.");
        }

        if (string.IsNullOrEmpty(method))
        {
            throw new S3Exception(400, "BadRequest", "Invalid Access-Control-Request-Method: null");
        }

        var bucket = r.Bucket is null ? null : await _store.GetBucketAsync(r.Bucket, r.Context.RequestAborted);
        var requested = (r.Header("Access-Control-Request-Headers") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var rule = bucket is null ? null : RuleFor(bucket.Cors, origin, method, requested);
        if (rule is null)
        {
            throw new S3Exception(403, "AccessForbidden",
                "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
                [new("Method", method), new("ResourceType", r.HasKey ? "OBJECT" : "BUCKET")]);
        }

        WriteCorsHeaders(r.Context.Response, rule, origin);
        if (requested.Length > 0)
        {
            r.Context.Response.Headers.AccessControlAllowHeaders = string.Join(", ", requested);
        }
    }

    /// <summary>On a request with <c>Origin</c>, adds the CORS headers of the first matching rule of the bucket, if any.</summary>
    private async Task ApplyCorsAsync(S3Request r)
    {
        if (r.Header("Origin") is not { Length: > 0 } origin || r.Bucket is null)
        {
            return;
        }

        var bucket = await _store.GetBucketAsync(r.Bucket, r.Context.RequestAborted);
        if (bucket is not null && RuleFor(bucket.Cors, origin, r.Method, []) is { } rule)
        {
            WriteCorsHeaders(r.Context.Response, rule, origin);
        }
    }

    /// <summary>The bucket's first matching rule, else the dashboard's rule for the dashboard's origins.</summary>
    private CorsRule? RuleFor(string? bucketCors, string origin, string method, IReadOnlyList<string> requestHeaders) =>
        (bucketCors is null ? null : CorsRule.Match(ParsedCors.GetValue(bucketCors, xml => CorsRule.Parse(XElement.Parse(xml))), origin, method, requestHeaders))
        ?? (_options.DashboardOrigins.Contains(origin, StringComparer.Ordinal) ? CorsRule.Match([CorsRule.Dashboard(origin)], origin, method, requestHeaders) : null);

    private static void WriteCorsHeaders(HttpResponse response, CorsRule rule, string origin)
    {
        var headers = response.Headers;
        var any = rule.Origins.Contains("*");
        headers.AccessControlAllowOrigin = any ? "*" : origin;
        headers.AccessControlAllowMethods = string.Join(", ", rule.Methods);
        if (!any)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (rule.ExposeHeaders.Count > 0)
        {
            headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
        }

        if (rule.MaxAgeSeconds is { } age)
        {
            headers.AccessControlMaxAge = age.ToString(CultureInfo.InvariantCulture);
        }

        headers.Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    }
}
