using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

/// <summary>The header values formatted once per version must follow the version's ETag and time, also through <c>with</c>.</summary>
public sealed class ObjectRecordTests
{
    [Fact]
    public void HeaderValues_AreTheQuotedETagAndTheHttpDate()
    {
        var record = Record("0cc175b9c0f1b6a831c399e269772661", new DateTimeOffset(2026, 11, 30, 13, 5, 9, TimeSpan.Zero));

        Assert.Equal("\"0cc175b9c0f1b6a831c399e269772661\"", record.QuotedETag);
        Assert.Equal("Mon, 30 Nov 2026 13:05:09 GMT", record.HttpLastModified);
    }

    [Fact]
    public void With_NewETagAndTime_FormatsThemAgain()
    {
        var record = Record("aaaa", DateTimeOffset.UnixEpoch) with { ETag = "bbbb-2", LastModified = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)) };

        Assert.Equal("\"bbbb-2\"", record.QuotedETag);
        Assert.Equal("Fri, 02 Jan 2026 01:04:05 GMT", record.HttpLastModified);
        Assert.Equal(Record("bbbb-2", new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero)), record);
    }

    private static ObjectRecord Record(string etag, DateTimeOffset modified) => new()
    {
        Bucket = "b",
        Key = "k",
        Size = 1,
        ETag = etag,
        LastModified = modified,
        DataFile = "id",
        Headers = SharedHeaders,
        Checksums = EmptyChecksums,
    };

    private static readonly ObjectHeaders SharedHeaders = new();

    private static readonly IReadOnlyDictionary<ChecksumAlgorithm, string> EmptyChecksums = new Dictionary<ChecksumAlgorithm, string>();
}
