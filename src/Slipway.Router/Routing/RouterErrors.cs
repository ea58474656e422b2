using System.Net;

namespace Slipway.Router.Routing;

/// <summary>The router's H-codes: what Heroku answers, and a page that tells the visitor (or the app's owner) what to do.</summary>
public sealed record RouterError(string Code, string Description, int Status, string Advice)
{
    public static readonly RouterError AppCrashed = new("H10", "App crashed", 503,
        "The app's web dynos have crashed. Its owner can check `slipway logs` and `slipway ps`, fix the cause and deploy again.");

    public static readonly RouterError NoWebDynos = new("H14", "No web processes running", 503,
        "The app has no web dynos running. Its owner can start one with `slipway ps:scale web=1`.");

    public static readonly RouterError BootTimeout = new("H20", "App boot timeout", 503,
        "The app's web dyno did not start listening on $PORT in time. Its owner can check `slipway logs`.");

    public static readonly RouterError ConnectionRefused = new("H21", "Backend connection refused", 503,
        "The app's dyno refused the connection. Try again in a moment.");

    public static readonly RouterError Maintenance = new("H80", "Maintenance mode", 503,
        "The app is in maintenance mode. Try again later.");

    /// <summary>H82: the owner's free dyno hours are used up; the page says when the pool renews.</summary>
    public static RouterError QuotaExhausted(DateTimeOffset renewsAt) => new("H82", "Free dyno quota exhausted", 503,
        $"This app's free dyno hours for the month are used up. It sleeps until the pool renews on {renewsAt:yyyy-MM-dd} at 00:00 UTC. " +
        "Its owner can move it to a paid size with `slipway ps:scale web=1:basic`.");

    /// <summary>Heroku logs these at <c>at=info</c>: the platform is doing what it was told, not failing.</summary>
    public bool IsInfo => Code is "H80" or "H81" or "H82";

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
