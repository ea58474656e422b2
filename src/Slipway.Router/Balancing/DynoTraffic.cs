namespace Slipway.Router.Balancing;

/// <summary>One dyno's requests in flight, in a single integer so that admission, the cap and draining are one atomic step.</summary>
public sealed class DynoTraffic
{
    private const int DrainingFlag = 1 << 30;
    private int _state;
    private TaskCompletionSource? _drained;

    public int InFlight => Volatile.Read(ref _state) & ~DrainingFlag;

    /// <summary>Admits a request unless the dyno is draining or already has <paramref name="limit"/> in flight.</summary>
    public bool TryEnter(int limit)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if ((state & DrainingFlag) != 0 || state >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _state) == DrainingFlag)
        {
            _drained?.TrySetResult();
        }
    }

    /// <summary>Refuses new requests from now on; the task completes when the last one in flight exits.</summary>
    public Task DrainAsync()
    {
        _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.Or(ref _state, DrainingFlag) is 0 or DrainingFlag)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
