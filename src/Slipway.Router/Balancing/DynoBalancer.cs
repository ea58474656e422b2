using System.Diagnostics;
using Slipway.Router.Routing;
using Slipway.Runtime.Dynos;

namespace Slipway.Router.Balancing;

/// <summary>
/// Picks a random up web dyno with room (at most 50 requests in flight each, as on Heroku); while all are full the request
/// waits in the app's backlog, which holds at most 50 per dyno before H11.
/// </summary>
public sealed class DynoBalancer(DynoManager dynos, InFlightRequests inFlight)
{
    public const int MaxInFlightPerDyno = 50;

    // An upgraded connection (WebSocket) counts for draining and sleeping but takes no request slot: it may stay open for hours.
    private const int UpgradeLimit = 1 << 29;

    private static readonly TimeSpan BacklogPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Admits the request to a dyno not in <paramref name="skipA"/>/<paramref name="skipB"/>; the caller must call
    /// <see cref="Admission.Exit"/> when it ends. No dyno and no error means every dyno has been tried.
    /// </summary>
    public async ValueTask<Admission> AdmitAsync(AppRoute route, bool upgrade, string? skipA, string? skipB, long deadline, CancellationToken cancellationToken)
    {
        var app = inFlight.For(route.AppId);
        var limit = upgrade ? UpgradeLimit : MaxInFlightPerDyno;
        var waiting = false;
        TaskCompletionSource? listener = null;
        try
        {
            while (true)
            {
                var up = route.UpWebDynos;
                var untried = 0;
                var start = up.Count > 1 ? Random.Shared.Next(up.Count) : 0;
                for (var i = 0; i < up.Count; i++)
                {
                    var dyno = up[(start + i) % up.Count];
                    if (dyno.DynoId == skipA || dyno.DynoId == skipB)
                    {
                        continue;
                    }

                    untried++;
                    var slot = app.Dyno(dyno.DynoId);
                    if (app.TryEnter(slot, limit))
                    {
                        return new Admission(route, dyno, app, slot, null);
                    }
                }

                if (untried == 0)
                {
                    return new Admission(route, null, app, null, null);
                }

                if (!waiting && !(waiting = app.TryWait(MaxInFlightPerDyno * untried)))
                {
                    return new Admission(route, null, app, null, RouterError.BacklogTooDeep);
                }

                if (listener is null)
                {
                    // Registered after counting as waiting (ends only wake a backlog), then one more look: an end in between counts.
                    listener = app.Listen();
                    continue;
                }

                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    return new Admission(route, null, app, null, RouterError.RequestTimeout);
                }

                // Woken by a request's end; the short poll also notices new or removed dynos. WaitAsync drops its timer once woken
                // (an abandoned Task.Delay still fired 50 ms later, for every wait).
                await listener.Task.WaitAsync(remaining < BacklogPoll ? remaining : BacklogPoll, cancellationToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return new Admission(route, null, app, null, RouterError.ClientInterrupted);
                }

                if (listener.Task.IsCompleted)
                {
                    listener = null; // used: the next wait listens afresh
                }

                route = dynos.FindRouteById(route.AppId) ?? route;
            }
        }
        finally
        {
            if (listener is not null)
            {
                app.StopListening(listener);
            }

            if (waiting)
            {
                app.StopWaiting();
            }
        }
    }
}

/// <summary>The outcome of <see cref="DynoBalancer.AdmitAsync"/>: a dyno with a slot held, or why there is none.</summary>
public readonly record struct Admission(AppRoute Route, DynoEndpoint? Dyno, AppTraffic App, DynoTraffic? Slot, RouterError? Error)
{
    public void Exit()
    {
        if (Slot is not null)
        {
            App.Exit(Slot);
        }
    }
}
