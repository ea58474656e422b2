using System.Collections.Concurrent;

namespace Slipway.Router.Balancing;

/// <summary>One app's requests: in flight per dyno, and those waiting in the backlog for a dyno with room.</summary>
public sealed class AppTraffic
{
    private readonly ConcurrentDictionary<string, DynoTraffic> _dynos = new(StringComparer.Ordinal);

    // One waiter is woken per request that ends, first come first served: waking the whole backlog for one free slot
    // cost every waiter a rescan and a new timer per request (at 64 connections to one dyno, 14 wake-ups per request).
    private readonly ConcurrentQueue<TaskCompletionSource> _listeners = new();
    private int _inFlight;
    private int _waiting;
    private int _held;

    public bool Busy => Volatile.Read(ref _inFlight) > 0 || Volatile.Read(ref _waiting) > 0 || Volatile.Read(ref _held) > 0;

    /// <summary>A request has arrived and is not finished: held through a wake or a boot, it keeps the app awake too.</summary>
    public void Arrive() => Interlocked.Increment(ref _held);

    public void Leave() => Interlocked.Decrement(ref _held);

    /// <summary>
    /// Completes when a request of the app ends after this call; look for room once more after listening, so no exit is
    /// missed, and hand the listener to <see cref="StopListening"/> unless it completed and was used.
    /// </summary>
    public TaskCompletionSource Listen()
    {
        // Woken inline: the waiter takes the freed slot at once on the thread that freed it (a socket event thread), with no
        // thread pool hop per request; .NET queues the continuation instead when the stack runs deep.
        var listener = new TaskCompletionSource();
        _listeners.Enqueue(listener);
        return listener;
    }

    /// <summary>Withdraws a listener; one that was woken but found no use for it passes the wake-up to the next.</summary>
    public void StopListening(TaskCompletionSource listener)
    {
        if (!listener.TrySetCanceled())
        {
            WakeOne();
        }
    }

    public DynoTraffic Dyno(string dynoId) => _dynos.GetOrAdd(dynoId, static _ => new DynoTraffic());

    /// <summary>Drops a dyno that is gone; requests still holding its counter exit on it as usual.</summary>
    public void Forget(string dynoId) => _dynos.TryRemove(dynoId, out _);

    public bool TryEnter(DynoTraffic dyno, int limit)
    {
        if (!dyno.TryEnter(limit))
        {
            return false;
        }

        Interlocked.Increment(ref _inFlight);
        return true;
    }

    public void Exit(DynoTraffic dyno)
    {
        dyno.Exit();
        Interlocked.Decrement(ref _inFlight);
        if (Volatile.Read(ref _waiting) > 0)
        {
            WakeOne();
        }
    }

    private void WakeOne()
    {
        while (_listeners.TryDequeue(out var listener))
        {
            if (listener.TrySetResult())
            {
                return;
            }
        }
    }

    /// <summary>Joins the backlog unless it already holds <paramref name="limit"/> requests (H11).</summary>
    public bool TryWait(int limit)
    {
        if (Interlocked.Increment(ref _waiting) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _waiting);
        return false;
    }

    public void StopWaiting() => Interlocked.Decrement(ref _waiting);

    /// <summary>Takes the dyno out of balancing, waits for its requests (bounded), then forgets it.</summary>
    public async Task DrainAsync(string dynoId, TimeSpan timeout)
    {
        try
        {
            await Dyno(dynoId).DrainAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // The stop grace is over: the dyno is stopped with its last requests, as Heroku does after 30 s.
        }
        finally
        {
            Forget(dynoId);
        }
    }
}
