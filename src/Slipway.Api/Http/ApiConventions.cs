using Microsoft.AspNetCore.Http;

namespace Slipway.Api.Http;

/// <summary>
/// Platform API v3 request conventions: <c>X-Http-Method-Override</c>, the versioned Accept header (any <c>version=3…</c>
/// variant such as <c>3.sdk</c>), a <c>Request-Id</c> echoed back, and <c>ETag</c>/<c>If-None-Match</c> on JSON reads.
/// </summary>
public sealed class ApiConventions(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Headers["X-Http-Method-Override"].ToString() is { Length: > 0 } method)
        {
            request.Method = method.ToUpperInvariant();
        }

        var accept = request.Headers.Accept.ToString();
        if (accept.Contains("application/vnd.heroku+json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("version=3", StringComparison.OrdinalIgnoreCase))
        {
            await ApiErrors.WriteAsync(context, 406, "not_acceptable",
                "Only Platform API version 3 is served. Send `Accept: application/vnd.heroku+json; version=3`.");
            return;
        }

        var requestId = request.Headers["Request-Id"].ToString().Split(',')[0].Trim();
        context.Response.Headers["Request-Id"] = Guid.TryParse(requestId, out _) ? requestId : Guid.NewGuid().ToString();
        if (!HttpMethods.IsGet(request.Method) || request.Headers.Upgrade.Count > 0)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        var buffer = new ETagBuffer(context, original);
        context.Response.Body = buffer;
        try
        {
            await next(context);
            await buffer.CompleteAsync();
        }
        finally
        {
            context.Response.Body = original;
        }
    }
}
