namespace Slipway.Storage.S3;

/// <summary>
/// A request's decoded query parameters in the order sent. Lookups scan the list: a request carries a handful of
/// parameters, so that is cheaper than building a dictionary per request. A repeated name answers its first value.
/// </summary>
internal sealed class QueryParameters(List<KeyValuePair<string, string>> pairs)
{
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => pairs;

    /// <summary>The value of a parameter the caller knows is there (dispatch checked it).</summary>
    public string this[string name] => GetValueOrDefault(name) ?? throw new KeyNotFoundException($"No query parameter '{name}'.");

    public bool ContainsKey(string name) => IndexOf(name) >= 0;

    public bool TryGetValue(string name, out string value)
    {
        var index = IndexOf(name);
        value = index < 0 ? "" : pairs[index].Value;
        return index >= 0;
    }

    public string? GetValueOrDefault(string name) => IndexOf(name) is var index and >= 0 ? pairs[index].Value : null;

    private int IndexOf(string name)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            if (string.Equals(pairs[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
