using Microsoft.AspNetCore.Http;

namespace Slipway.Dashboard;

/// <summary>
/// Serves the page at <c>/</c> and its assets under <c>/dashboard/{version}/</c>; everything else goes on to the Platform API.
/// The page runs only its own scripts and talks only to its own origin (a strict Content-Security-Policy).
/// </summary>
public sealed class DashboardMiddleware(RequestDelegate next, DashboardAssets assets, DashboardOptions options)
{
    /// <summary>
    /// No inline script or style, no frames, no foreign origins but the object store (for the storage page): injected
    /// markup could not run or phone home.
    /// </summary>
    private readonly string _contentSecurityPolicy = ContentSecurityPolicy(options.StorageOrigins.Select(o => new Uri(o).GetLeftPart(UriPartial.Authority)));

    private const string Immutable = "public, max-age=31536000, immutable";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return next(context);
        }

        var path = request.Path.Value ?? "";
        if (path == "/")
        {
            return WriteAsync(context, assets.Page, "no-cache");
        }

        if (path.StartsWith(assets.AssetPath, StringComparison.Ordinal) && assets.Find(path[assets.AssetPath.Length..]) is { } asset)
        {
            return WriteAsync(context, asset, Immutable);
        }

        if (path.StartsWith("/dashboard/", StringComparison.Ordinal))
        {
            // An asset of an older version (a tab open across an upgrade): reloading the page fetches the current ones.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("This dashboard file is from another version of Slipway. Reload the page.\n");
        }

        return next(context);
    }

    private static string ContentSecurityPolicy(IEnumerable<string> storageOrigins)
    {
        var storage = string.Concat(storageOrigins.Select(o => " " + o));
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'{storage}; connect-src 'self'{storage}; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private async Task WriteAsync(HttpContext context, DashboardAssets.Asset asset, string cacheControl)
    {
        var response = context.Response;
        var etag = $"\"{asset.ETag}\"";
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = etag;
        response.Headers.ContentSecurityPolicy = _contentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, context.RequestAborted);
        }
    }
}
