using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Slipway.Storage.S3;

namespace Slipway.Storage.Engine;

public sealed record UploadRecord(string Id, string Bucket, string Key, ObjectHeaders Headers, DateTimeOffset Initiated);

public sealed record PartRecord(int Number, long Size, string ETag, DateTimeOffset LastModified, string DataFile);

/// <summary>Multipart uploads: each part is its own durable data file; completion concatenates them, in the kernel, into the object's file.</summary>
public sealed partial class FileObjectStore
{
    /// <summary>S3's minimum size of every part but the last.</summary>
    public const long MinimumPartSize = 5L * 1024 * 1024;

    public async Task<UploadRecord> CreateUploadAsync(string bucket, string key, ObjectHeaders headers, CancellationToken cancellationToken = default)
    {
        var upload = new UploadRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), bucket, key, headers, Now());
        await Index.WriteAsync(async (connection, transaction) =>
        {
            await RequireBucketAsync(connection, transaction, bucket);
            return await connection.ExecuteAsync(
                "INSERT INTO uploads (id, bucket, key, headers, initiated_ms) VALUES (@Id, @Bucket, @Key, @headers, @initiated)",
                new { upload.Id, upload.Bucket, upload.Key, headers = JsonSerializer.Serialize(headers), initiated = upload.Initiated.ToUnixTimeMilliseconds() }, transaction);
        }, cancellationToken);
        return upload;
    }

    public async Task<UploadRecord?> GetUploadAsync(string uploadId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Index.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UploadRow>(
            "SELECT id, bucket, key, headers, initiated_ms AS InitiatedMs FROM uploads WHERE id = @uploadId", new { uploadId });
        return row?.ToRecord();
    }

    /// <summary>Uploads of <paramref name="bucket"/> with keys under <paramref name="prefix"/>, by key then initiation, after the markers.</summary>
    public async Task<IReadOnlyList<UploadRecord>> ListUploadsAsync(string bucket, string prefix, string? keyMarker, string? uploadIdMarker, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await Index.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UploadRow>(
            "SELECT id, bucket, key, headers, initiated_ms AS InitiatedMs FROM uploads WHERE bucket = @bucket AND key >= @prefix " +
            (keyMarker is null ? "" : uploadIdMarker is null ? "AND key > @keyMarker " : "AND (key > @keyMarker OR (key = @keyMarker AND id > @uploadIdMarker)) ") +
            "ORDER BY key, id LIMIT @limit", new { bucket, prefix, keyMarker, uploadIdMarker, limit });
        return rows.Select(r => r.ToRecord()).TakeWhile(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    public async Task<PartRecord> PutPartAsync(
        UploadRecord upload, int number, Stream content, IReadOnlyCollection<ChecksumAlgorithm> algorithms, Action<WrittenContent>? verify, CancellationToken cancellationToken = default)
    {
        var (dataFile, written) = await _files.WriteAsync(ReadOnlyMemory<byte>.Empty, content, algorithms, verify, cancellationToken);
        var part = new PartRecord(number, written.Size, Convert.ToHexStringLower(written.Md5), Now(), dataFile);
        string? replaced;
        try
        {
            replaced = await Index.WriteAsync(async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM uploads WHERE id = @Id", new { upload.Id }, transaction) == 0)
                {
                    throw S3Exception.NoSuchUpload(upload.Id);
                }

                var old = await connection.ExecuteScalarAsync<string?>(
                    "SELECT data_file FROM parts WHERE upload_id = @Id AND number = @number", new { upload.Id, number }, transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO parts (upload_id, number, data_file, size, etag, modified_ms) VALUES (@Id, @Number, @DataFile, @Size, @ETag, @modified) " +
                    "ON CONFLICT (upload_id, number) DO UPDATE SET data_file = excluded.data_file, size = excluded.size, etag = excluded.etag, modified_ms = excluded.modified_ms",
                    new { upload.Id, part.Number, part.DataFile, part.Size, part.ETag, modified = part.LastModified.ToUnixTimeMilliseconds() }, transaction);
                return old;
            }, CancellationToken.None);
        }
        catch
        {
            _files.Delete(dataFile);
            throw;
        }

        if (replaced is not null)
        {
            Release(replaced, inline: false);
        }

        return part;
    }

    public async Task<IReadOnlyList<PartRecord>> ListPartsAsync(string uploadId, CancellationToken cancellationToken = default)
    {
        await using var connection = await Index.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PartRow>(
            "SELECT number, size, etag, modified_ms AS ModifiedMs, data_file AS DataFile FROM parts WHERE upload_id = @uploadId ORDER BY number", new { uploadId });
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// Validates the client's part list as S3 does (ascending, every part present with its ETag, all but the last at least
    /// 5 MiB), writes the concatenation as the object and, in the same commit, forgets the upload.
    /// </summary>
    public async Task<ObjectRecord> CompleteUploadAsync(
        UploadRecord upload, IReadOnlyList<(int Number, string ETag)> requested, Action<ObjectRecord?>? precondition, CancellationToken cancellationToken = default)
    {
        if (requested.Count == 0)
        {
            throw S3Exception.InvalidRequest("You must specify at least one part");
        }

        var stored = (await ListPartsAsync(upload.Id, cancellationToken)).ToDictionary(p => p.Number);
        var chosen = new List<PartRecord>();
        for (var i = 0; i < requested.Count; i++)
        {
            if (i > 0 && requested[i].Number <= requested[i - 1].Number)
            {
                throw S3Exception.InvalidPartOrder();
            }

            if (!stored.TryGetValue(requested[i].Number, out var part) || !string.Equals(part.ETag, requested[i].ETag.Trim().Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw S3Exception.InvalidPart();
            }

            chosen.Add(part);
        }

        if (chosen.SkipLast(1).Any(p => p.Size < MinimumPartSize))
        {
            throw S3Exception.EntityTooSmall();
        }

#pragma warning disable CA5351 // S3 defines ETags as MD5; it is an identifier here, not a security control.
        var etag = Convert.ToHexStringLower(MD5.HashData(chosen.SelectMany(p => Convert.FromHexString(p.ETag)).ToArray())) + "-" + chosen.Count;
#pragma warning restore CA5351
        var (dataFile, size) = await _files.ConcatenateAsync(chosen.Select(p => p.DataFile).ToList(), cancellationToken);
        return await CommitObjectAsync(
            new ObjectRecord
            {
                Bucket = upload.Bucket,
                Key = upload.Key,
                Size = size,
                ETag = etag,
                LastModified = Now(),
                DataFile = dataFile,
                Headers = upload.Headers,
                PartsCount = chosen.Count,
            },
            precondition,
            inlineBody: null,
            async (connection, transaction) =>
            {
                var files = (await connection.QueryAsync<string>("SELECT data_file FROM parts WHERE upload_id = @Id", new { upload.Id }, transaction)).ToList();
                if (await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @Id", new { upload.Id }, transaction) == 0)
                {
                    throw S3Exception.NoSuchUpload(upload.Id);
                }

                await connection.ExecuteAsync("DELETE FROM parts WHERE upload_id = @Id", new { upload.Id }, transaction);
                return files;
            });
    }

    /// <summary>Drops the upload and its parts; false when there was no such upload.</summary>
    public async Task<bool> AbortUploadAsync(string uploadId, CancellationToken cancellationToken = default)
    {
        var files = await Index.WriteAsync(async (connection, transaction) =>
        {
            var dataFiles = (await connection.QueryAsync<string>("SELECT data_file FROM parts WHERE upload_id = @uploadId", new { uploadId }, transaction)).ToList();
            var deleted = await connection.ExecuteAsync("DELETE FROM parts WHERE upload_id = @uploadId; DELETE FROM uploads WHERE id = @uploadId;", new { uploadId }, transaction);
            return deleted == 0 ? null : dataFiles;
        }, cancellationToken);
        foreach (var file in files ?? [])
        {
            Release(file, inline: false);
        }

        return files is not null;
    }

    /// <summary>Aborts uploads started more than <paramref name="age"/> ago: clients that died mid-upload never come back for them.</summary>
    public async Task<int> AbortAbandonedUploadsAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        List<string> stale;
        await using (var connection = await Index.OpenAsync(cancellationToken))
        {
            stale = (await connection.QueryAsync<string>("SELECT id FROM uploads WHERE initiated_ms < @cutoff",
                new { cutoff = (_time.GetUtcNow() - age).ToUnixTimeMilliseconds() })).ToList();
        }

        foreach (var id in stale)
        {
            await AbortUploadAsync(id, cancellationToken);
        }

        return stale.Count;
    }

    private sealed class UploadRow
    {
        public string Id { get; set; } = "";

        public string Bucket { get; set; } = "";

        public string Key { get; set; } = "";

        public string Headers { get; set; } = "{}";

        public long InitiatedMs { get; set; }

        public UploadRecord ToRecord() =>
            new(Id, Bucket, Key, JsonSerializer.Deserialize<ObjectHeaders>(Headers) ?? new ObjectHeaders(), DateTimeOffset.FromUnixTimeMilliseconds(InitiatedMs));
    }

    private sealed class PartRow
    {
        public long Number { get; set; }

        public long Size { get; set; }

        public string ETag { get; set; } = "";

        public long ModifiedMs { get; set; }

        public string DataFile { get; set; } = "";

        public PartRecord ToRecord() => new((int)Number, Size, ETag, DateTimeOffset.FromUnixTimeMilliseconds(ModifiedMs), DataFile);
    }
}
