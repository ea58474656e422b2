namespace Slipway.Runtime.Dynos;

/// <summary>
/// The requests in flight to dynos, as the router counts them. Runtime asks through this seam, so that it stops a dyno only
/// once its requests are done and never sleeps an app under a request, without knowing anything of HTTP.
/// </summary>
public interface IDynoTraffic
{
    /// <summary>Sends no new request to the dyno and completes when those in flight have ended, or after <paramref name="timeout"/>.</summary>
    Task DrainAsync(string appId, string dynoId, TimeSpan timeout);

    /// <summary>True while any request of the app is in flight or waiting for a dyno.</summary>
    bool IsBusy(string appId);

    /// <summary>The dyno is gone (stopped or crashed): its counter goes too. A request still in flight to it ends on the counter it holds.</summary>
    void Forget(string appId, string dynoId);
}
