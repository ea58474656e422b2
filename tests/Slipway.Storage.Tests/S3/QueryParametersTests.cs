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

    [Fact]
    public void Parse_DecodesNamesAndValues_InTheOrderSent_AndSkipsEmptyPairs()
    {
        var query = QueryParameters.Parse("prefix=photos%2F2026&&uploads&delimiter=%2F&key=a%20b=c");
        Assert.Equal(
            [new("prefix", "photos/2026"), new("uploads", ""), new("delimiter", "/"), new("key", "a b=c")],
            query.Pairs);
    }

    [Fact]
    public void Parse_EmptyQuery_HasNoPairs() => Assert.Empty(QueryParameters.Parse("").Pairs);

    [Fact]
    public void Parse_PresignedUrl_AnswersTheNamesAndValuesItRepeats_WithTheSameStrings()
    {
        const string Presigned = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261130%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20261130T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&x-id=GetObject&X-Amz-Signature=abc";
        var first = QueryParameters.Parse(Presigned).Pairs;
        var second = QueryParameters.Parse(Presigned).Pairs;

        Assert.Equal("AKID/20261130/us-east-1/s3/aws4_request", first[1].Value);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Same(first[i].Key, second[i].Key);
        }

        Assert.Same(first[0].Value, second[0].Value);
        Assert.Same(first[1].Value, second[1].Value);
        Assert.Same(first[4].Value, second[4].Value);
        Assert.Same(first[5].Value, second[5].Value);
    }

    [Fact]
    public void Parse_AnotherCredential_IsDecodedAnew()
    {
        var first = QueryParameters.Parse("X-Amz-Credential=AKID1%2F20261130%2Fus-east-1%2Fs3%2Faws4_request");
        var second = QueryParameters.Parse("X-Amz-Credential=AKID2%2F20261130%2Fus-east-1%2Fs3%2Faws4_request");
        Assert.Equal("AKID1/20261130/us-east-1/s3/aws4_request", first["X-Amz-Credential"]);
        Assert.Equal("AKID2/20261130/us-east-1/s3/aws4_request", second["X-Amz-Credential"]);
    }

    [Fact]
    public void Parse_EscapedKnownName_DecodesToTheSameName() =>
        Assert.Equal("AKID/x", QueryParameters.Parse("X-Amz-%43redential=AKID%2Fx")["X-Amz-Credential"]);
}
