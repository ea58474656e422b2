using System.Net;
using Slipway.Router.Routing;

namespace Slipway.Router.Forwarding;

/// <summary>The connection pool the router forwards through; also what bench/RouterCeiling uses, so the ceiling is like for like.</summary>
public static class DynoHandler
{
    public static SocketsHttpHandler Create(RouterOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionIdleTimeout = options.IdleTimeout,
#pragma warning disable CA2262 // kilobytes are meant: Heroku's H25 limit is 512 kB of headers
        MaxResponseHeadersLength = RouterLimits.MaxHeaderKilobytes,
#pragma warning restore CA2262
        ActivityHeadersPropagator = null,
    };
}
