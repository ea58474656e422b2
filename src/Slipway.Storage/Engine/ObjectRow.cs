using System.Text.Json;

namespace Slipway.Storage.Engine;

/// <summary>The <c>objects</c> row: headers and checksums as JSON, times as Unix milliseconds.</summary>
internal sealed class ObjectRow
{
    public string Bucket { get; set; } = "";

    public string Key { get; set; } = "";

    public string DataFile { get; set; } = "";

    public long Size { get; set; }

    public string ETag { get; set; } = "";

    public long ModifiedMs { get; set; }

    public string Headers { get; set; } = "{}";

    public string? Checksums { get; set; }

    public long? Parts { get; set; }

    public bool Inline { get; set; }

    public static ObjectRow From(ObjectRecord record) => new()
    {
        Bucket = record.Bucket,
        Key = record.Key,
        DataFile = record.DataFile,
        Size = record.Size,
        ETag = record.ETag,
        ModifiedMs = record.LastModified.ToUnixTimeMilliseconds(),
        Headers = JsonSerializer.Serialize(record.Headers),
        Checksums = record.Checksums.Count == 0 ? null : JsonSerializer.Serialize(record.Checksums.ToDictionary(c => c.Key.Name(), c => c.Value)),
        Parts = record.PartsCount,
        Inline = record.Inline,
    };

    public ObjectRecord ToRecord() => new()
    {
        Bucket = Bucket,
        Key = Key,
        DataFile = DataFile,
        Size = Size,
        ETag = ETag,
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(ModifiedMs),
        Headers = JsonSerializer.Deserialize<ObjectHeaders>(Headers) ?? new ObjectHeaders(),
        Checksums = Checksums is null
            ? new Dictionary<ChecksumAlgorithm, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(Checksums)!
                .Where(c => Engine.Checksums.Parse(c.Key) is not null)
                .ToDictionary(c => Engine.Checksums.Parse(c.Key)!.Value, c => c.Value),
        PartsCount = Parts is null ? null : (int)Parts.Value,
        Inline = Inline,
    };
}
