using Dapper;
using Slipway.Storage.S3;

namespace Slipway.Storage.Engine;

public sealed partial class FileObjectStore
{
    /// <summary>The bucket's row; a cached one is answered synchronously, with nothing allocated (every S3 request asks).</summary>
    public ValueTask<BucketRecord?> GetBucketAsync(string name, CancellationToken cancellationToken = default) =>
        _buckets.TryGet(name, out var cached) ? new(cached) : new(LoadBucketAsync(name, cancellationToken));

    private Task<BucketRecord?> LoadBucketAsync(string name, CancellationToken cancellationToken) =>
        _buckets.GetOrLoadAsync(name, async () =>
        {
            await using var connection = await Index.OpenAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<BucketRow>(
                "SELECT name, owner, public_read AS PublicRead, cors, created_ms AS CreatedMs FROM buckets WHERE name = @name", new { name });
            return row?.ToRecord();
        });

    /// <summary>Creates the bucket for <paramref name="owner"/>; returns the existing one (whoever owns it) when the name is taken.</summary>
    public async Task<(BucketRecord Bucket, bool Created)> CreateBucketAsync(string name, string owner, bool publicRead = false, CancellationToken cancellationToken = default)
    {
        var created = await Index.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(
                "INSERT INTO buckets (name, owner, public_read, created_ms) VALUES (@name, @owner, @publicRead, @now) ON CONFLICT (name) DO NOTHING",
                new { name, owner, publicRead, now = _time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction) == 1, cancellationToken);
        return ((await GetBucketAsync(name, cancellationToken))!, created);
    }

    public async Task EnsureBucketAsync(string name, string owner, CancellationToken cancellationToken = default) =>
        await CreateBucketAsync(name, owner, cancellationToken: cancellationToken);

    /// <summary>The buckets <paramref name="owner"/> owns, by name.</summary>
    public async Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await Index.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BucketRow>(
            "SELECT name, owner, public_read AS PublicRead, cors, created_ms AS CreatedMs FROM buckets WHERE owner = @owner ORDER BY name", new { owner });
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// Deletes an empty bucket (S3's BucketNotEmpty otherwise), dropping its unfinished multipart uploads; with
    /// <paramref name="withObjects"/> it first deletes every object (add-on destruction).
    /// </summary>
    public async Task<bool> DeleteBucketAsync(string name, bool withObjects = false, CancellationToken cancellationToken = default)
    {
        var files = await Index.WriteAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM buckets WHERE name = @name", new { name }, transaction) == 0)
            {
                return null;
            }

            if (!withObjects && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM objects WHERE bucket = @name LIMIT 1)", new { name }, transaction) > 0)
            {
                throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", [new("BucketName", name)]);
            }

            var released = (await connection.QueryAsync<(string DataFile, bool Inline)>(
                "SELECT data_file, inline FROM objects WHERE bucket = @name UNION ALL SELECT p.data_file, 0 FROM parts p JOIN uploads u ON u.id = p.upload_id WHERE u.bucket = @name",
                new { name }, transaction)).ToList();
            await connection.ExecuteAsync(
                "DELETE FROM inline_bodies WHERE id IN (SELECT data_file FROM objects WHERE bucket = @name AND inline); " +
                "DELETE FROM objects WHERE bucket = @name; DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE bucket = @name); " +
                "DELETE FROM uploads WHERE bucket = @name; DELETE FROM buckets WHERE name = @name;", new { name }, transaction);
            return released;
        }, cancellationToken);

        _buckets.Invalidate(name);
        _objects.InvalidateAll();
        foreach (var (file, inline) in files ?? [])
        {
            Release(file, inline);
        }

        return files is not null;
    }

    public async Task SetBucketPublicAsync(string name, bool publicRead, CancellationToken cancellationToken = default)
    {
        await Index.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("UPDATE buckets SET public_read = @publicRead WHERE name = @name", new { name, publicRead }, transaction), cancellationToken);
        _buckets.Invalidate(name);
    }

    /// <summary>Stores the bucket's CORS configuration (S3's XML, as sent), or removes it with null.</summary>
    public async Task SetBucketCorsAsync(string name, string? cors, CancellationToken cancellationToken = default)
    {
        await Index.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("UPDATE buckets SET cors = @cors WHERE name = @name", new { name, cors }, transaction), cancellationToken);
        _buckets.Invalidate(name);
    }

    private sealed class BucketRow
    {
        public string Name { get; set; } = "";

        public string Owner { get; set; } = "";

        public bool PublicRead { get; set; }

        public string? Cors { get; set; }

        public long CreatedMs { get; set; }

        public BucketRecord ToRecord() => new(Name, Owner, PublicRead, Cors, DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs));
    }
}
