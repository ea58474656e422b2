using System.Text.Json;
using Dapper;
using Slipway.Core.Apps;
using Slipway.Core.Builds;

namespace Slipway.Data.Builds;

/// <summary>Builds and the slugs they produce.</summary>
public sealed class BuildRepository(SlipwayDatabase database, TimeProvider time)
{
    private const string SelectBuild =
        "SELECT b.id, b.app_id AS AppId, b.user_id AS UserId, u.email AS UserEmail, b.status, b.source_url AS SourceUrl, " +
        "b.source_version AS SourceVersion, b.source_checksum AS SourceChecksum, b.buildpacks, b.slug_id AS SlugId, " +
        "b.release_id AS ReleaseId, b.failure, b.created_at AS CreatedAt, b.updated_at AS UpdatedAt FROM builds b JOIN accounts u ON u.id = b.user_id";

    public async Task<BuildRecord> CreateAsync(string appId, string userId, string? sourceUrl, string? sourceVersion, string? sourceChecksum,
        IReadOnlyList<string> buildpacks, CancellationToken cancellationToken = default)
    {
        var id = Guid.NewGuid().ToString();
        var now = time.GetUtcNow();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(
                "INSERT INTO builds (id, app_id, user_id, status, source_url, source_version, source_checksum, buildpacks, created_at, updated_at) " +
                "VALUES (@id, @appId, @userId, 'pending', @sourceUrl, @sourceVersion, @sourceChecksum, @buildpacks, @now, @now)",
                new { id, appId, userId, sourceUrl, sourceVersion, sourceChecksum, buildpacks = JsonSerializer.Serialize(buildpacks), now });
        }

        return (await FindAsync(appId, id, cancellationToken))!;
    }

    public async Task<BuildRecord?> FindAsync(string appId, string buildId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<BuildRow>($"{SelectBuild} WHERE b.app_id = @appId AND b.id = @buildId", new { appId, buildId }))?.ToBuild();
    }

    public async Task<IReadOnlyList<BuildRecord>> ListAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BuildRow>($"{SelectBuild} WHERE b.app_id = @appId ORDER BY b.created_at", new { appId })).Select(r => r.ToBuild()).ToList();
    }

    /// <summary>The apps with a build under way, in one query (the apps list shows each app's state).</summary>
    public async Task<IReadOnlySet<string>> AppsBuildingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>("SELECT DISTINCT app_id FROM builds WHERE status = 'pending'")).ToHashSet(StringComparer.Ordinal);
    }

    public async Task CompleteAsync(string buildId, string status, string? slugId, string? releaseId, string? failure, IReadOnlyList<string> buildpacks,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE builds SET status = @status, slug_id = @slugId, release_id = @releaseId, failure = @failure, buildpacks = @buildpacks, updated_at = @now WHERE id = @buildId",
            new { buildId, status, slugId, releaseId, failure, buildpacks = JsonSerializer.Serialize(buildpacks), now = time.GetUtcNow() });
    }

    /// <summary>At start-up: builds that were running when slipwayd stopped can never finish; mark them failed.</summary>
    public async Task<int> FailInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE builds SET status = 'failed', failure = 'The build was interrupted because the platform restarted. Deploy again.', updated_at = @now WHERE status = 'pending'",
            new { now = time.GetUtcNow() });
    }

    public async Task<Slug> AddSlugAsync(Slug slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO slugs (id, app_id, process_types, buildpack_description, size, checksum, commit_sha, stack, created_at) " +
            "VALUES (@Id, @AppId, @processTypes, @BuildpackDescription, @Size, @Checksum, @Commit, @Stack, @CreatedAt)",
            new { slug.Id, slug.AppId, processTypes = SerializeProcessTypes(slug.ProcessTypes), slug.BuildpackDescription, slug.Size, slug.Checksum, slug.Commit, slug.Stack, slug.CreatedAt });
        return slug;
    }

    public async Task<Slug?> FindSlugAsync(string slugId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SlugRow>(
            "SELECT id, app_id AS AppId, process_types AS ProcessTypes, buildpack_description AS BuildpackDescription, size, checksum, " +
            "commit_sha AS \"Commit\", stack, created_at AS CreatedAt FROM slugs WHERE id = @slugId", new { slugId });
        return row?.ToSlug();
    }

    // Process types keep Procfile order, so they are stored as a list of pairs rather than an object.
    private static string SerializeProcessTypes(IReadOnlyList<KeyValuePair<string, string>> types) =>
        JsonSerializer.Serialize(types.Select(t => new[] { t.Key, t.Value }));

    private sealed class BuildRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string UserId { get; set; } = "";

        public string UserEmail { get; set; } = "";

        public string Status { get; set; } = "";

        public string? SourceUrl { get; set; }

        public string? SourceVersion { get; set; }

        public string? SourceChecksum { get; set; }

        public string Buildpacks { get; set; } = "[]";

        public string? SlugId { get; set; }

        public string? ReleaseId { get; set; }

        public string? Failure { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public BuildRecord ToBuild() => new()
        {
            Id = Id, AppId = AppId, UserId = UserId, UserEmail = UserEmail, Status = Status, SourceUrl = SourceUrl, SourceVersion = SourceVersion,
            SourceChecksum = SourceChecksum, Buildpacks = JsonSerializer.Deserialize<List<string>>(Buildpacks) ?? [], SlugId = SlugId,
            ReleaseId = ReleaseId, Failure = Failure, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }

    private sealed class SlugRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string ProcessTypes { get; set; } = "[]";

        public string? BuildpackDescription { get; set; }

        public long Size { get; set; }

        public string Checksum { get; set; } = "";

        public string? Commit { get; set; }

        public string Stack { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public Slug ToSlug() => new()
        {
            Id = Id, AppId = AppId, BuildpackDescription = BuildpackDescription, Size = Size, Checksum = Checksum, Commit = Commit, Stack = Stack,
            CreatedAt = CreatedAt,
            ProcessTypes = (JsonSerializer.Deserialize<List<string[]>>(ProcessTypes) ?? []).Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList(),
        };
    }
}
