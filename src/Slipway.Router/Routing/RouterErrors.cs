using System.Net;

namespace Slipway.Router.Routing;

/// <summary>The router's H-codes: what Heroku answers, and a page that tells the visitor (or the app's owner) what to do.</summary>
public sealed record RouterError(string Code, string Description, int Status, string Advice)
{
    /// <summary>Seconds a client should wait before retrying, sent as <c>Retry-After</c>; null when retrying soon will not help.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>H18 and H27 name which side dropped the connection: <c>sock=backend</c> or <c>sock=client</c>.</summary>
    public string? Socket { get; init; }

    public static readonly RouterError AppCrashed = new("H10", "App crashed", 503,
        "The app's web dynos have crashed. Its owner can check `slipway logs` and `slipway ps`, fix the cause and deploy again.");

    public static readonly RouterError BacklogTooDeep = new("H11", "Backlog too deep", 503,
        "The app's web dynos are all busy and too many requests are waiting. Its owner can add dynos with `slipway ps:scale web=N`.")
    { RetryAfterSeconds = 5 };

    public static readonly RouterError RequestTimeout = new("H12", "Request timeout", 503,
        "The app did not start answering within 30 seconds. Its owner can move slow work to a background worker.");

    public static readonly RouterError ConnectionClosed = new("H13", "Connection closed without response", 503,
        "The app's dyno closed the connection without answering. Its owner can check `slipway logs` for the cause.");

    public static readonly RouterError IdleConnection = new("H15", "Idle connection", 503,
        "The response went silent for longer than the idle limit (55 seconds) and was ended. Its owner can send data or close sooner.");

    public static readonly RouterError NoWebDynos = new("H14", "No web processes running", 503,
        "The app has no web dynos running. Its owner can start one with `slipway ps:scale web=1`.");

    public static readonly RouterError PoorlyFormattedResponse = new("H17", "Poorly formatted HTTP response", 503,
        "The app's dyno answered with a response that is not valid HTTP. Its owner can check what the app writes.");

    public static readonly RouterError ServerInterrupted = new("H18", "Server Request Interrupted", 503,
        "The app's dyno closed the connection in the middle of the request or response.")
    { Socket = "backend" };

    public static readonly RouterError ConnectTimeout = new("H19", "Backend connection timeout", 503,
        "The app's dyno did not accept the connection in time. Try again in a moment.");

    public static readonly RouterError BootTimeout = new("H20", "App boot timeout", 503,
        "The app's web dyno did not start listening on $PORT in time. Its owner can check `slipway logs`.")
    { RetryAfterSeconds = 10 };

    public static readonly RouterError ConnectionRefused = new("H21", "Backend connection refused", 503,
        "The app's dyno refused the connection. Try again in a moment.");

    public static readonly RouterError HttpRestriction = new("H25", "HTTP restriction", 502,
        "The request or response has headers over the router's limits (512 kB of headers, 8 kB per line). Send smaller headers.");

    /// <summary>The client went away before the response was complete: logged, never answered (Heroku logs status 499).</summary>
    public static readonly RouterError ClientInterrupted = new("H27", "Client Request Interrupted", 499,
        "The client closed the connection before the response was complete.")
    { Socket = "client" };

    public static readonly RouterError Maintenance = new("H80", "Maintenance mode", 503,
        "The app is in maintenance mode. Try again later.")
    { RetryAfterSeconds = 60 };

    public static readonly RouterError BlankApp = new("H81", "Blank app", 503,
        "No code has been deployed to this app yet. Its owner can deploy with `slipway deploy` or `git push`.");

    /// <summary>H26: a request the router cannot forward as sent (an <c>Expect</c> other than <c>100-continue</c>, per RFC 9110).</summary>
    public static readonly RouterError UnsupportedExpectation = new("H26", "Request Error", 417,
        "The request's Expect header asks for something other than 100-continue, which no server here can meet. Send it without that header.");

    public static readonly RouterError PlatformError = new("H99", "Platform error", 503,
        "The router failed while forwarding the request. Try again; if it persists, the platform's operator can check slipwayd's log.");

    /// <summary>H82: the owner's free dyno hours are used up; the page says when the pool renews.</summary>
    public static RouterError QuotaExhausted(DateTimeOffset renewsAt) => new("H82", "Free dyno quota exhausted", 503,
        $"This app's free dyno hours for the month are used up. It sleeps until the pool renews on {renewsAt:yyyy-MM-dd} at 00:00 UTC. " +
        "Its owner can move it to a paid size with `slipway ps:scale web=1:basic`.")
    { RetryAfterSeconds = (int)Math.Clamp((renewsAt - DateTimeOffset.UtcNow).TotalSeconds, 1, int.MaxValue) };

    /// <summary>Heroku's log level: <c>info</c> when the platform does what it was told, <c>warning</c> for client faults.</summary>
    public string Level => Code switch
    {
        "H80" or "H81" or "H82" => "info",
        "H27" or "H28" => "warning",
        _ => "error",
    };

    public string Page(string host) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Application error</title>
        <style>body{"{"}font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;color:#333{"}"}code{"{"}background:#eee;padding:0 .2em{"}"}</style></head>
        <body><h1>Application error</h1>
        <p>{WebUtility.HtmlEncode(Advice)}</p>
        <p><small>{Code} {WebUtility.HtmlEncode(Description)} — {WebUtility.HtmlEncode(host)}</small></p>
        </body></html>
        """;
}
