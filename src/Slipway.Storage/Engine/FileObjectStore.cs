using System.Buffers;
using Dapper;
using Microsoft.Data.Sqlite;
using Slipway.Storage.S3;

namespace Slipway.Storage.Engine;

/// <summary>
/// The object engine: everything but the bytes in a SQLite index (<see cref="ObjectIndex"/>); the bytes of small objects
/// in that index too (<see cref="InlineBodies"/>), of larger ones in immutable data files (<see cref="DataFiles"/>). A
/// write makes its data file durable first and then commits the index row that names it (an inline body goes in that
/// same commit), which is the moment the object exists; a replaced file is unlinked after the commit, a replaced inline
/// body is deleted by it. A crash at any point leaves either the old or the new version visible, never a partial one,
/// plus at most an unreferenced file that <see cref="SweepAsync"/> removes at the next start.
/// </summary>
public sealed partial class FileObjectStore : IObjectStore
{
    /// <summary>The owner of the platform's own buckets (sources, slugs): no account's key can reach them.</summary>
    public const string PlatformOwner = "platform";

    private const int ObjectCacheCapacity = 16_384;
    private const int BucketCacheCapacity = 4_096;
    private const long SmallBodyBudget = 64L * 1024 * 1024;
    private const string ObjectColumns = "bucket, key, data_file AS DataFile, size, etag, modified_ms AS ModifiedMs, headers, checksums, parts, inline";

    private readonly DataFiles _files;
    private readonly InlineBodies _inline;
    private readonly SmallFileCache _small = new(SmallBodyBudget);
    private readonly TimeProvider _time;
    private readonly RowCache<(string Bucket, string Key), ObjectRecord> _objects = new(ObjectCacheCapacity);
    private readonly RowCache<string, BucketRecord> _buckets = new(BucketCacheCapacity);

    public FileObjectStore(string rootDirectory, TimeProvider? time = null)
    {
        var root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _files = new DataFiles(Path.Combine(root, "data"));
        _time = time ?? TimeProvider.System;
        Index = new ObjectIndex(Path.Combine(root, "index.db"));
        _inline = new InlineBodies(Index);
    }

    internal ObjectIndex Index { get; }

    // ---- IObjectStore: the platform's own use (sources, slugs, build output) ----

    public async Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        await EnsureBucketAsync(bucket, PlatformOwner, cancellationToken);
        var record = await WriteObjectAsync(new ObjectWrite { Bucket = bucket, Key = key, Headers = new ObjectHeaders { ContentType = contentType } }, content, cancellationToken);
        return record.ToStoredObject();
    }

    public async Task<Stream?> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        (await OpenObjectAsync(bucket, key, cancellationToken))?.Stream;

    public async Task<StoredObject?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        (await GetObjectAsync(bucket, key, cancellationToken))?.ToStoredObject();

    public async Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        await DeleteObjectAsync(bucket, key, cancellationToken) is not null;

    // ---- objects ----

    /// <summary>The object's current row; a cached one is answered synchronously, with nothing allocated.</summary>
    public ValueTask<ObjectRecord?> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _objects.TryGet((bucket, key), out var cached) ? new(cached) : new(LoadCachedObjectAsync(bucket, key, cancellationToken));

    private Task<ObjectRecord?> LoadCachedObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        _objects.GetOrLoadAsync((bucket, key), () => LoadObjectAsync(bucket, key, cancellationToken));

    /// <summary>
    /// The current version and an open stream of its bytes; null when there is none. A cached row whose small body is
    /// in memory is answered synchronously, as every GET of a hot object asks.
    /// </summary>
    public ValueTask<(ObjectRecord Record, Stream Stream)?> OpenObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _objects.TryGet((bucket, key), out var record) && TryOpenCached(record) is { } cached
            ? new((record, cached))
            : new(OpenObjectSlowAsync(bucket, key, cancellationToken));

    private async Task<(ObjectRecord Record, Stream Stream)?> OpenObjectSlowAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        // An overwrite's commit deletes the old inline body before the cache forgets the old row (and unlinks the old file
        // after): when the bytes are gone, the row is read again from the index, whose snapshot holds the new version.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var record = attempt == 0
                ? await GetObjectAsync(bucket, key, cancellationToken)
                : await BlockingWork.RunAsync(() => LoadObjectAsync(bucket, key, cancellationToken));
            if (record is null)
            {
                return null;
            }

            // A small body already in memory opens without blocking; any other reads a file or the index, off the socket thread.
            if (TryOpenCached(record) is { } cached)
            {
                return (record, cached);
            }

            try
            {
                return (record, await OpenBodyAsync(record));
            }
            catch (FileNotFoundException)
            {
            }
        }

        return null;
    }

    // Its own method: a lambda in the loop above would allocate its closure on every attempt, even one answered from memory.
    private Task<Stream> OpenBodyAsync(ObjectRecord record) => BlockingWork.Run(() => OpenBody(record));

    public async Task<ObjectRecord> WriteObjectAsync(ObjectWrite write, Stream content, CancellationToken cancellationToken = default)
    {
        var algorithms = write.ChecksumAlgorithms.Concat(write.StoredChecksums).ToList();
        var head = ArrayPool<byte>.Shared.Rent(InlineBodies.MaxSize + 1);
        try
        {
            // A body that ends within the first InlineBodies.MaxSize bytes is stored inline; a longer one goes to a data file, head first.
            var read = await content.ReadAtLeastAsync(head.AsMemory(0, InlineBodies.MaxSize + 1), InlineBodies.MaxSize + 1, throwOnEndOfStream: false, cancellationToken);
            byte[]? body = null;
            string dataFile;
            WrittenContent written;
            if (read <= InlineBodies.MaxSize)
            {
                body = head.AsSpan(0, read).ToArray();
                using var hasher = new ContentHasher(algorithms);
                hasher.Append(body);
                written = hasher.Finish();
                write.Verify?.Invoke(written);
                dataFile = DataFiles.NewId();
            }
            else
            {
                (dataFile, written) = await _files.WriteAsync(head.AsMemory(0, read), content, algorithms, write.Verify, cancellationToken);
            }

            return await CommitObjectAsync(new ObjectRecord
            {
                Bucket = write.Bucket,
                Key = write.Key,
                Size = written.Size,
                ETag = Convert.ToHexStringLower(written.Md5),
                LastModified = Now(),
                DataFile = dataFile,
                Inline = body is not null,
                Headers = write.Headers,
                Checksums = written.Checksums.Where(c => write.StoredChecksums.Contains(c.Key)).ToDictionary(),
            }, write.Precondition, body, alsoInCommit: null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <summary>Deletes the current version; returns it, or null when there was none.</summary>
    public async Task<ObjectRecord?> DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var removed = await Index.WriteAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
                $"SELECT {ObjectColumns} FROM objects WHERE bucket = @bucket AND key = @key", new { bucket, key }, transaction);
            if (row is not null)
            {
                await connection.ExecuteAsync("DELETE FROM objects WHERE bucket = @bucket AND key = @key", new { bucket, key }, transaction);
                await DeleteInlineBodyAsync(connection, transaction, row.ToRecord());
            }

            return row?.ToRecord();
        }, cancellationToken);

        _objects.Invalidate((bucket, key));
        if (removed is not null)
        {
            Release(removed.DataFile, removed.Inline);
        }

        return removed;
    }

    /// <summary>Objects whose key starts with <paramref name="prefix"/> and sorts after <paramref name="after"/>, in UTF-8 byte order.</summary>
    public async Task<IReadOnlyList<ObjectRecord>> ScanAsync(string bucket, string prefix, string? after, int limit, CancellationToken cancellationToken = default)
    {
        // SQLite compares TEXT with memcmp over UTF-8, which is exactly S3's listing order.
        await using var connection = await Index.OpenAsync(cancellationToken);
        var from = after;
        var rows = await connection.QueryAsync<ObjectRow>(
            $"SELECT {ObjectColumns} FROM objects WHERE bucket = @bucket AND key >= @prefix " +
            (from is null ? "" : "AND key > @from ") + "ORDER BY key LIMIT @limit",
            new { bucket, prefix, from, limit });
        return rows.Select(r => r.ToRecord()).TakeWhile(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Replaces the stored headers of the current version (an ACL change); false when there is no such object.</summary>
    public async Task<bool> UpdateHeadersAsync(string bucket, string key, ObjectHeaders headers, CancellationToken cancellationToken = default)
    {
        var updated = await Index.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE objects SET headers = @headers WHERE bucket = @bucket AND key = @key",
            new { bucket, key, headers = System.Text.Json.JsonSerializer.Serialize(headers) }, transaction), cancellationToken) == 1;
        _objects.Invalidate((bucket, key));
        return updated;
    }

    /// <summary>
    /// Makes <paramref name="record"/> the current version: its data file is already durable, or its
    /// <paramref name="inlineBody"/> goes into the same transaction, with <paramref name="alsoInCommit"/> (which returns
    /// data files it released). The replaced version's inline body is deleted in that transaction; the files the commit
    /// released are unlinked after it. On failure the new data file goes.
    /// </summary>
    private async Task<ObjectRecord> CommitObjectAsync(
        ObjectRecord record, Action<ObjectRecord?>? precondition, byte[]? inlineBody,
        Func<SqliteConnection, SqliteTransaction, Task<IReadOnlyList<string>>>? alsoInCommit)
    {
        (ObjectRecord? Replaced, IReadOnlyList<string> Files) obsolete;
        try
        {
            obsolete = await Index.WriteAsync<(ObjectRecord?, IReadOnlyList<string>)>(async (connection, transaction) =>
            {
                await RequireBucketAsync(connection, transaction, record.Bucket);
                var current = (await connection.QuerySingleOrDefaultAsync<ObjectRow>(
                    $"SELECT {ObjectColumns} FROM objects WHERE bucket = @Bucket AND key = @Key", new { record.Bucket, record.Key }, transaction))?.ToRecord();
                precondition?.Invoke(current);
                await connection.ExecuteAsync(
                    "INSERT INTO objects (bucket, key, data_file, size, etag, modified_ms, headers, checksums, parts, inline) " +
                    "VALUES (@Bucket, @Key, @DataFile, @Size, @ETag, @ModifiedMs, @Headers, @Checksums, @Parts, @Inline) " +
                    "ON CONFLICT (bucket, key) DO UPDATE SET data_file = excluded.data_file, size = excluded.size, etag = excluded.etag, " +
                    "modified_ms = excluded.modified_ms, headers = excluded.headers, checksums = excluded.checksums, parts = excluded.parts, inline = excluded.inline",
                    ObjectRow.From(record), transaction);
                if (inlineBody is not null)
                {
                    await InlineBodies.InsertAsync(connection, transaction, record.DataFile, inlineBody);
                }

                if (current is not null)
                {
                    await DeleteInlineBodyAsync(connection, transaction, current);
                }

                return (current, alsoInCommit is null ? [] : await alsoInCommit(connection, transaction));
            }, CancellationToken.None);
        }
        catch
        {
            if (!record.Inline)
            {
                _files.Delete(record.DataFile);
            }

            throw;
        }

        // Before the old bytes go: a reader that then misses them looks the key up again and finds the new version.
        _objects.Invalidate((record.Bucket, record.Key));
        if (obsolete.Replaced is { } replaced)
        {
            Release(replaced.DataFile, replaced.Inline);
        }

        foreach (var file in obsolete.Files)
        {
            Release(file, inline: false);
        }

        return record;
    }

    private async Task<ObjectRecord?> LoadObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await using var connection = await Index.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ObjectRow>(
            $"SELECT {ObjectColumns} FROM objects WHERE bucket = @bucket AND key = @key", new { bucket, key });
        return row?.ToRecord();
    }

    private MemoryStream? TryOpenCached(ObjectRecord record) =>
        record.Size <= SmallFileCache.MaxFileSize && _small.TryGet(record.DataFile, out var bytes)
            ? new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true)
            : null;

    /// <summary>A stream of the version's bytes: from memory for small ones (<see cref="SmallFileCache"/>), else the open data file.</summary>
    private Stream OpenBody(ObjectRecord record)
    {
        if (record.Size > SmallFileCache.MaxFileSize)
        {
            return _files.Open(record.DataFile);
        }

        var bytes = _small.GetOrRead(record.DataFile, record.Inline ? _inline.Read : _files.ReadAll);
        return new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
    }

    /// <summary>After the commit that stopped naming them: forgets the cached bytes of <paramref name="id"/> and, for a data file, unlinks it.</summary>
    private void Release(string id, bool inline)
    {
        _small.Remove(id);
        if (!inline)
        {
            _files.Delete(id);
        }
    }

    private static async Task DeleteInlineBodyAsync(SqliteConnection connection, SqliteTransaction transaction, ObjectRecord replaced)
    {
        if (replaced.Inline)
        {
            await InlineBodies.DeleteAsync(connection, transaction, replaced.DataFile);
        }
    }

    // ---- start-up ----

    /// <summary>
    /// Run at start, before serving: removes what interrupted writes left behind (temp files and data files no index
    /// row names; inline bodies need no sweep, their rows commit with them) and makes sure the platform's own buckets exist.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await EnsureBucketAsync(PlatformBuckets.Sources, PlatformOwner, cancellationToken);
        await EnsureBucketAsync(PlatformBuckets.Slugs, PlatformOwner, cancellationToken);
        await using var connection = await Index.OpenAsync(cancellationToken);
        var referenced = (await connection.QueryAsync<string>("SELECT data_file FROM objects UNION ALL SELECT data_file FROM parts")).ToHashSet(StringComparer.Ordinal);
        return _files.Sweep(referenced);
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    private static async Task RequireBucketAsync(SqliteConnection connection, SqliteTransaction transaction, string bucket)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM buckets WHERE name = @bucket", new { bucket }, transaction) == 0)
        {
            throw S3Exception.NoSuchBucket(bucket);
        }
    }
}
