using Slipway.Storage.S3;

namespace Slipway.Storage.Tests.S3;

public sealed class QueryParametersTests
{
    private static readonly QueryParameters Query = new([new("uploads", ""), new("prefix", "a"), new("prefix", "b")]);

    [Fact]
    public void TryGetValue_RepeatedName_AnswersTheFirstValue()
    {
        Assert.True(Query.TryGetValue("prefix", out var value));
        Assert.Equal("a", value);
        Assert.Equal("a", Query["prefix"]);
    }

    [Fact]
    public void Lookups_AreOrdinalAndCaseSensitive()
    {
        Assert.True(Query.ContainsKey("uploads"));
        Assert.False(Query.ContainsKey("Uploads"));
        Assert.Null(Query.GetValueOrDefault("Prefix"));
        Assert.False(Query.TryGetValue("missing", out _));
    }

    [Fact]
    public void Indexer_MissingName_Throws() => Assert.Throws<KeyNotFoundException>(() => Query["missing"]);
}
