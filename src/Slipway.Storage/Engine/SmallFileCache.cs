namespace Slipway.Storage.Engine;

/// <summary>
/// The bytes of small data files, kept in memory so that a GET of a small object neither opens nor reads a file: for
/// 4 KiB objects the open, lock and close cost more than sending the bytes. Always coherent, since a data file never
/// changes once written and its id is never reused; bounded by a byte budget.
/// </summary>
internal sealed class SmallFileCache(long budgetBytes)
{
    /// <summary>Files up to this size are cached.</summary>
    public const int MaxFileSize = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The file's bytes if they are cached: answers without blocking.</summary>
    public bool TryGet(string id, out byte[] bytes)
    {
        lock (_gate)
        {
            return _files.TryGetValue(id, out bytes!);
        }
    }

    /// <summary>The file's bytes; <paramref name="read"/> reads them on a miss (and throws when the file is gone).</summary>
    public byte[] GetOrRead(string id, Func<string, byte[]> read)
    {
        lock (_gate)
        {
            if (_files.TryGetValue(id, out var hit))
            {
                return hit;
            }
        }

        var bytes = read(id);
        lock (_gate)
        {
            // A full cache starts over rather than tracking recency on every hit.
            if (_bytes + bytes.Length > budgetBytes)
            {
                _files.Clear();
                _bytes = 0;
            }

            if (_files.TryAdd(id, bytes))
            {
                _bytes += bytes.Length;
            }
        }

        return bytes;
    }

    /// <summary>Frees the memory of a deleted file.</summary>
    public void Remove(string id)
    {
        lock (_gate)
        {
            if (_files.Remove(id, out var bytes))
            {
                _bytes -= bytes.Length;
            }
        }
    }
}
