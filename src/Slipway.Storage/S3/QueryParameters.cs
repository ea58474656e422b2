namespace Slipway.Storage.S3;

/// <summary>
/// A request's decoded query parameters in the order sent. Lookups scan the list: a request carries a handful of
/// parameters, so that is cheaper than building a dictionary per request. A repeated name answers its first value.
/// </summary>
internal sealed class QueryParameters(List<KeyValuePair<string, string>> pairs)
{
    private const string CredentialName = "X-Amz-Credential";

    /// <summary>
    /// The names and values every presigned URL repeats: a query text equal to one of them is answered with the constant
    /// (none contains an escape, so decoding would give the same text) instead of a new string per request.
    /// </summary>
    private static readonly string[] KnownTexts =
    [
        "X-Amz-Algorithm", CredentialName, "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
        "X-Amz-Security-Token", "x-id", "AWS4-HMAC-SHA256", "host", "GetObject", "PutObject",
    ];

    [ThreadStatic]
    private static (string Raw, string Decoded)? t_credential;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => pairs;

    /// <summary>The query part of a request target (after the '?'), decoded, pairs in the order sent, empty pairs skipped.</summary>
    public static QueryParameters Parse(ReadOnlySpan<char> query)
    {
        var list = new List<KeyValuePair<string, string>>(query.IsEmpty ? 0 : query.Count('&') + 1);
        while (!query.IsEmpty)
        {
            var and = query.IndexOf('&');
            var pair = and < 0 ? query : query[..and];
            query = and < 0 ? default : query[(and + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Text(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : ReferenceEquals(name, CredentialName) ? Credential(pair[(equals + 1)..]) : Text(pair[(equals + 1)..]);
            list.Add(new(name, value));
        }

        return new QueryParameters(list);
    }

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

    private static string Text(ReadOnlySpan<char> raw)
    {
        foreach (var known in KnownTexts)
        {
            if (raw.SequenceEqual(known))
            {
                return known;
            }
        }

        return PercentDecoding.Decode(raw);
    }

    /// <summary>A presigned URL's credential (<c>AKID%2FYYYYMMDD%2F…</c>) is the same for a client all day: the thread's last one is reused.</summary>
    private static string Credential(ReadOnlySpan<char> raw)
    {
        if (t_credential is { } last && raw.SequenceEqual(last.Raw))
        {
            return last.Decoded;
        }

        var decoded = PercentDecoding.Decode(raw);
        t_credential = (raw.ToString(), decoded);
        return decoded;
    }

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
