using Dapper;
using Slipway.Core.Apps;

namespace Slipway.Data.Apps;

public sealed class AppRepository(SlipwayDatabase database, TimeProvider time)
{
    private const string Select =
        "SELECT a.id, a.name, a.owner_id AS OwnerId, o.email AS OwnerEmail, a.seq AS Sequence, a.maintenance, " +
        "a.buildpack_description AS BuildpackDescription, a.slug_size AS SlugSize, a.released_at AS ReleasedAt, " +
        "a.sleeping, (SELECT f.size FROM formations f WHERE f.app_id = a.id AND f.type = 'web') AS WebSize, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt FROM apps a JOIN accounts o ON o.id = a.owner_id";

    public async Task<App> CreateAsync(string name, string ownerId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
                await connection.ExecuteAsync(
                    "INSERT INTO apps (id, name, owner_id, seq, created_at, updated_at) " +
                    "VALUES (@id, @name, @ownerId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apps), @now, @now)",
                    new { id, name, ownerId, now }, transaction), cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new DuplicateException($"Name {name} is already taken");
        }

        return (await FindAsync(id, cancellationToken))!;
    }

    /// <summary>Finds an app by id or by name.</summary>
    public async Task<App?> FindAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<AppRow>($"{Select} WHERE a.id = @idOrName OR a.name = @idOrName", new { idOrName }))?.ToApp();
    }

    public async Task<IReadOnlyList<App>> ListAsync(string? ownerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = ownerId is null
            ? await connection.QueryAsync<AppRow>($"{Select} ORDER BY a.name")
            : await connection.QueryAsync<AppRow>($"{Select} WHERE a.owner_id = @ownerId ORDER BY a.name", new { ownerId });
        return rows.Select(r => r.ToApp()).ToList();
    }

    public async Task<App> RenameAsync(string appId, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync("UPDATE apps SET name = @name, updated_at = @now WHERE id = @appId", new { appId, name, now = time.GetUtcNow() });
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new DuplicateException($"Name {name} is already taken");
        }

        return (await FindAsync(appId, cancellationToken))!;
    }

    public async Task<App> SetMaintenanceAsync(string appId, bool maintenance, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync("UPDATE apps SET maintenance = @maintenance, updated_at = @now WHERE id = @appId", new { appId, maintenance, now = time.GetUtcNow() });
        }

        return (await FindAsync(appId, cancellationToken))!;
    }

    private static readonly string[] DependentTables = ["dynos", "formations", "releases", "builds", "slugs", "config_vars"];

    /// <summary>Records whether the app's free dynos are asleep (desired state, kept across restarts).</summary>
    public async Task SetSleepingAsync(string appId, bool sleeping, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE apps SET sleeping = @sleeping WHERE id = @appId", new { appId, sleeping });
    }

    public async Task DeleteAsync(string appId, CancellationToken cancellationToken = default)
    {
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            // Releases reference slugs; remove in dependency order inside one transaction.
            foreach (var table in DependentTables)
            {
                await connection.ExecuteAsync($"DELETE FROM {table} WHERE app_id = @appId", new { appId }, transaction);
            }

            return await connection.ExecuteAsync("DELETE FROM apps WHERE id = @appId", new { appId }, transaction);
        }, cancellationToken);
    }

    private sealed class AppRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string OwnerId { get; set; } = "";

        public string OwnerEmail { get; set; } = "";

        public long Sequence { get; set; }

        public bool Maintenance { get; set; }

        public bool Sleeping { get; set; }

        public string? WebSize { get; set; }

        public string? BuildpackDescription { get; set; }

        public long? SlugSize { get; set; }

        public DateTimeOffset? ReleasedAt { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public App ToApp() => new()
        {
            Id = Id, Name = Name, OwnerId = OwnerId, OwnerEmail = OwnerEmail, Sequence = Sequence, Maintenance = Maintenance, Sleeping = Sleeping, WebSize = WebSize,
            BuildpackDescription = BuildpackDescription, SlugSize = SlugSize, ReleasedAt = ReleasedAt, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }
}
