using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Core.Logs;
using Slipway.Core.Metrics;
using Slipway.Router.Balancing;
using Slipway.Router.Forwarding;
using Slipway.Runtime.Dynos;
using Yarp.ReverseProxy.Forwarder;

namespace Slipway.Router.Routing;

/// <summary>
/// Maps <c>Host</c> to an app, picks one of its up web dynos, and forwards with YARP's <see cref="IHttpForwarder"/>;
/// answers Heroku's H-codes when it cannot, and writes one <c>heroku[router]</c> line per request.
/// </summary>
public sealed class AppRouter(
    IHttpForwarder forwarder, DynoManager dynos, DynoBalancer balancer, InFlightRequests inFlight, CustomDomains customDomains, ErrorPages errorPages,
    RouterMetrics metrics, IAppLog log, RouterOptions options) : IDisposable
{
    private readonly HttpMessageInvoker _client = new(new FirstByteTimeoutHandler(options.RequestTimeout, DynoHandler.Create(options)));

    // The object store is ours, not an app: no H12 (completing a large multipart upload may take minutes before the first byte).
    private readonly HttpMessageInvoker _storageClient = new(DynoHandler.Create(options));

    // H12 (first byte) is the handler's; after the first byte only silence longer than H15's idle time ends a request.
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = options.IdleTimeout };

    // An upgraded connection (WebSocket) is never cut for being silent: apps hold them open for hours.
    private readonly ForwarderRequestConfig _upgradeConfig = new() { ActivityTimeout = Timeout.InfiniteTimeSpan };

    private readonly string _appSuffix = "." + options.Domain.ToLowerInvariant();
    private readonly string _storageHost = "storage." + options.Domain.ToLowerInvariant();
    private readonly string _storageSuffix = ".storage." + options.Domain.ToLowerInvariant();

    private readonly ForwarderRequestConfig _storageRequestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(10) };

    public async Task RouteAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var host = context.Request.Host.Host.ToLowerInvariant();
        if (options.StoragePort is { } storagePort && IsStorageHost(host))
        {
            await ForwardToStorageAsync(context, storagePort);
            return;
        }

        var appName = AppNameFrom(host);
        var route = appName is not null ? dynos.FindRoute(appName)
            : await customDomains.AppIdForAsync(host, context.RequestAborted) is { } appId ? dynos.FindRouteById(appId) : null;
        if (route is null)
        {
            await NotFoundAsync(context, host);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // apps take uploads; the router streams them, never buffers
        }

        // From arrival to the end, the request keeps its app awake: the dyno a wake starts must not sleep before it is used.
        // Held, it counts as busy; the idle clock restarts when it arrives and when it ends (a long request is traffic too).
        var traffic = inFlight.For(route.AppId);
        traffic.Arrive();
        dynos.Touch(route.AppId);
        try
        {
            await RouteToAppAsync(context, route, host, started);
        }
        finally
        {
            dynos.Touch(route.AppId);
            traffic.Leave();
        }
    }

    private async Task RouteToAppAsync(HttpContext context, AppRoute route, string host, long started)
    {
        var requestId = RequestId(context);
        if (RouterLimits.HeadersTooLarge(context.Request.Headers))
        {
            await FailAsync(context, route, RouterError.HttpRestriction, requestId, started, host);
            return;
        }

        if (route.Maintenance)
        {
            await FailAsync(context, route, RouterError.Maintenance, requestId, started, host);
            return;
        }

        if (route.Blank)
        {
            await FailAsync(context, route, RouterError.BlankApp, requestId, started, host);
            return;
        }

        if (context.Request.Headers.Expect is { Count: > 0 } expect && !string.Equals(expect.ToString(), "100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(context, route, RouterError.UnsupportedExpectation, requestId, started, host);
            return;
        }

        if (route.QuotaExhausted || (route.Sleeping && !await dynos.WakeAsync(route.AppId)))
        {
            await FailAsync(context, route, RouterError.QuotaExhausted(Core.Quota.QuotaMonth.EndOf(DateTimeOffset.UtcNow)), requestId, started, host);
            return;
        }

        if (route.UpWebDynos.Count == 0)
        {
            if (route.DesiredWebDynos == 0)
            {
                await FailAsync(context, route, RouterError.NoWebDynos, requestId, started, host);
                return;
            }

            if (route.WebCrashed && !route.WebStarting)
            {
                await FailAsync(context, route, RouterError.AppCrashed, requestId, started, host);
                return;
            }

            // A dyno is booting (a deploy, a restart): hold the request until it is up, as Heroku's router does.
            var up = await dynos.WaitForWebDynoAsync(route.AppId, options.BootWait, context.RequestAborted);
            route = dynos.FindRouteById(route.AppId) ?? route;
            if (!up || route.UpWebDynos.Count == 0)
            {
                await FailAsync(context, route, route.WebCrashed && !route.WebStarting ? RouterError.AppCrashed : RouterError.BootTimeout, requestId, started, host);
                return;
            }
        }

        context.Request.Headers["X-Request-Id"] = requestId;
        context.Request.Headers["X-Forwarded-Proto"] = context.Request.Scheme;
        context.Request.Headers["X-Forwarded-Port"] = (context.Request.Host.Port ?? context.Connection.LocalPort).ToString(CultureInfo.InvariantCulture);
        context.Request.Headers["X-Forwarded-For"] = AppendForwardedFor(context);
        context.Request.Headers.Via = DynoTransformer.AppendVia(context.Request.Headers.Via);
        var body = new CountingStream(context.Response.Body);
        context.Response.Body = body;

        var upgrade = context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };
        var config = upgrade ? _upgradeConfig : _requestConfig;
        // Counted from here: time spent held through a wake or a boot must not eat into the wait for a free dyno.
        var deadline = Stopwatch.GetTimestamp() + (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        string? triedA = null, triedB = null;
        RouterError? failure = null;
        DynoEndpoint dyno;
        long connected;
        while (true)
        {
            var admission = await balancer.AdmitAsync(route, upgrade, triedA, triedB, deadline, context.RequestAborted);
            route = admission.Route;
            if (admission.Dyno is null)
            {
                var refusal = admission.Error ?? failure ?? (route.DesiredWebDynos == 0 ? RouterError.NoWebDynos : RouterError.AppCrashed);
                if (refusal == RouterError.ClientInterrupted)
                {
                    LogFailure(context, route, refusal, requestId, started, host, "");
                    return;
                }

                await FailAsync(context, route, refusal, requestId, started, host);
                return;
            }

            dyno = admission.Dyno;
            connected = Stopwatch.GetTimestamp();
            ForwarderError error;
            try
            {
                error = await forwarder.SendAsync(context, dyno.Url, _client, config, DynoTransformer.Instance);
            }
            finally
            {
                admission.Exit();
            }

            if (error == ForwarderError.None)
            {
                break;
            }

            failure = ForwardFailure.Classify(error, context.Features.Get<IForwarderErrorFeature>()?.Exception, context.RequestAborted.IsCancellationRequested,
                // YARP's idle timer may start a moment before our last write: 90 % of the idle time is silence enough.
                context.Response.HasStarted && Stopwatch.GetElapsedTime(body.LastWrite) >= options.IdleTimeout * 0.9);
            if (context.Response.HasStarted || failure == RouterError.ClientInterrupted)
            {
                // Too late for an error page (or nobody to read it): the line in the log is all that is left to say.
                LogFailure(context, route, failure, requestId, started, host, dyno.Name);
                return;
            }

            // A dyno that never saw the request (stopping, just crashed, swamped) costs a retry on another, up to three tries.
            if (!ForwardFailure.NeverReachedDyno(failure) || triedB is not null)
            {
                await FailAsync(context, route, failure, requestId, started, host, dyno.Name);
                return;
            }

            (triedA, triedB) = triedA is null ? (dyno.DynoId, null) : (triedA, dyno.DynoId);
            route = dynos.FindRouteById(route.AppId) ?? route;

            // YARP set an error status on the failed attempt; the next one starts clean.
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        var status = context.Response.StatusCode;
        var service = Milliseconds(connected, Stopwatch.GetTimestamp());
        metrics.Record(route.AppId, status, service);
        log.Write(route.AppId, LogSources.Heroku, LogSources.RouterProcess,
            $"at=info method={context.Request.Method} path=\"{context.Request.Path}{context.Request.QueryString}\" host={host} request_id={requestId} " +
            $"fwd=\"{context.Connection.RemoteIpAddress}\" dyno={dyno.Name} connect={Milliseconds(started, connected)}ms " +
            $"service={service}ms status={status} bytes={body.Written} protocol={context.Request.Scheme}");
    }

    public void Dispose()
    {
        _client.Dispose();
        _storageClient.Dispose();
    }

    /// <summary><c>storage.{domain}</c>, or <c>{bucket}.storage.{domain}</c> (virtual-host style S3).</summary>
    private bool IsStorageHost(string host) => host == _storageHost || host.EndsWith(_storageSuffix, StringComparison.Ordinal);

    /// <summary>Passes an S3 request through to the object store unchanged (Host included: SigV4 signs it).</summary>
    private async Task ForwardToStorageAsync(HttpContext context, int port)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var error = await forwarder.SendAsync(context, $"http://127.0.0.1:{port}/", _storageClient, _storageRequestConfig, HttpTransformer.Empty);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    private string? AppNameFrom(string host) =>
        host.EndsWith(_appSuffix, StringComparison.Ordinal) && host.Length > _appSuffix.Length ? host[..^_appSuffix.Length] : null;

    private async Task FailAsync(HttpContext context, AppRoute route, RouterError error, string requestId, long started, string host, string dyno = "")
    {
        LogFailure(context, route, error, requestId, started, host, dyno);
        context.Response.Headers["X-Request-Id"] = requestId;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var page = await errorPages.FindAsync(route, error, context.RequestAborted) ?? error.Page(host);
        await WritePageAsync(context, error.Status, page);
    }

    private void LogFailure(HttpContext context, AppRoute route, RouterError error, string requestId, long started, string host, string dyno)
    {
        var sock = error.Socket is null ? "" : $"sock={error.Socket} ";
        var service = Milliseconds(started, Stopwatch.GetTimestamp());
        metrics.Record(route.AppId, error.Status, service);
        log.Write(route.AppId, LogSources.Heroku, LogSources.RouterProcess,
            $"{sock}at={error.Level} code={error.Code} desc=\"{error.Description}\" method={context.Request.Method} path=\"{context.Request.Path}\" host={host} " +
            $"request_id={requestId} fwd=\"{context.Connection.RemoteIpAddress}\" dyno={dyno} connect= service={service}ms " +
            $"status={error.Status} bytes= protocol={context.Request.Scheme}");
    }

    private static Task NotFoundAsync(HttpContext context, string host) => WritePageAsync(context, 404,
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>No such app</title></head>
        <body><h1>There's nothing here, yet.</h1>
        <p>No app is served at <code>{WebUtility.HtmlEncode(host)}</code>. Check the app name, or create it with <code>slipway apps:create</code>.</p></body></html>
        """);

    private static async Task WritePageAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(html), context.RequestAborted);
    }

    /// <summary>Keeps a client's X-Request-Id when it is sane (20–200 chars of [\w-]); otherwise makes one.</summary>
    private static string RequestId(HttpContext context)
    {
        var given = context.Request.Headers["X-Request-Id"].ToString();
        return given.Length is >= 20 and <= 200 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? given : NewRequestId();
    }

    /// <summary>
    /// A random (version 4) UUID from <see cref="Random.Shared"/>: an id for finding a request in logs, not a secret, and
    /// <see cref="Guid.NewGuid"/> asks the kernel's CSPRNG for every request (8 % of the router's own time under wrk).
    /// </summary>
    private static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout puts its high byte here)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes).ToString();
    }

    private static string AppendForwardedFor(HttpContext context)
    {
        var existing = context.Request.Headers["X-Forwarded-For"].ToString();
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "";
        return existing.Length == 0 ? remote : $"{existing}, {remote}";
    }

    private static long Milliseconds(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
