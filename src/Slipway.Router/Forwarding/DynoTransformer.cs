using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Slipway.Router.Forwarding;

/// <summary>
/// YARP's default copy, plus what RFC 9110 asks of a proxy beyond it: headers named in <c>Connection</c> are hop-by-hop and
/// dropped, and both directions carry <c>Via</c>; the client gets the request's <c>X-Request-Id</c> back.
/// </summary>
public sealed class DynoTransformer : HttpTransformer
{
    public static readonly DynoTransformer Instance = new();

    public const string Via = "1.1 slipway";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        RemoveNominated(httpContext.Request.Headers.Connection, proxyRequest.Headers, proxyRequest.Content?.Headers);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var headers = httpContext.Response.Headers;
        if (proxyResponse is not null && proxyResponse.Headers.Contains("Connection"))
        {
            foreach (var name in proxyResponse.Headers.Connection)
            {
                if (NamesHeaders(name))
                {
                    headers.Remove(name);
                }
            }
        }

        headers.Via = AppendVia(headers.Via);
        headers["X-Request-Id"] = httpContext.Request.Headers["X-Request-Id"];
        return copy;
    }

    public static StringValues AppendVia(StringValues existing) => existing.Count == 0 ? Via : $"{existing}, {Via}";

    private static void RemoveNominated(StringValues connection, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        foreach (var value in connection)
        {
            if (!NamesHeaders(value))
            {
                continue;
            }

            foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                headers.Remove(name);
                contentHeaders?.Remove(name);
            }
        }
    }

    /// <summary>The usual lone <c>keep-alive</c> or <c>close</c> names no header: it costs no parsing.</summary>
    private static bool NamesHeaders([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is not null && !value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) && !value.Equals("close", StringComparison.OrdinalIgnoreCase);
}
