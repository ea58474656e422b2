using System.Diagnostics.CodeAnalysis;

namespace Slipway.Storage.Engine;

/// <summary>
/// Index rows kept in memory so that the read path (every GET looks up its bucket and object) does not query SQLite.
/// Sound because this process is the only writer of the index and every write calls <see cref="Invalidate"/> after its
/// commit: the generation stops a lookup that read the row before that commit from caching the old version.
/// </summary>
internal sealed class RowCache<TKey, TValue>(int capacity)
    where TKey : notnull
    where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, TValue> _rows = [];
    private long _generation;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>The cached row, if there is one: never blocks, allocates nothing.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_gate)
        {
            return _rows.TryGetValue(key, out value);
        }
    }

    /// <summary>
    /// The cached row, or what <paramref name="load"/> reads (cached unless a write committed meanwhile); absent rows are
    /// not cached. A hit never blocks; <paramref name="load"/> queries SQLite, so it runs on a pool thread (<see cref="BlockingWork"/>).
    /// </summary>
    public async Task<TValue?> GetOrLoadAsync(TKey key, Func<Task<TValue?>> load)
    {
        long generation;
        lock (_gate)
        {
            if (_rows.TryGetValue(key, out var hit))
            {
                return hit;
            }

            generation = _generation;
        }

        var loaded = await BlockingWork.RunAsync(load);
        if (loaded is not null)
        {
            lock (_gate)
            {
                if (_generation == generation)
                {
                    // Bounded memory: a full cache starts over rather than tracking recency on every hit.
                    if (_rows.Count >= capacity)
                    {
                        _rows.Clear();
                    }

                    _rows[key] = loaded;
                }
            }
        }

        return loaded;
    }

    /// <summary>Called after a commit that changed or removed the row of <paramref name="key"/>.</summary>
    public void Invalidate(TKey key)
    {
        lock (_gate)
        {
            _generation++;
            _rows.Remove(key);
        }
    }

    /// <summary>Called after a commit that changed or removed many rows (a bucket and all its objects).</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _generation++;
            _rows.Clear();
        }
    }
}
