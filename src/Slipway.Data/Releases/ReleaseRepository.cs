using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Slipway.Core.Apps;
using Slipway.Core.Releases;

namespace Slipway.Data.Releases;

/// <summary>Releases, config vars and formation: they change together, so their writes share transactions.</summary>
public sealed class ReleaseRepository(SlipwayDatabase database, TimeProvider time)
{
    private const string SelectRelease =
        "SELECT r.id, r.app_id AS AppId, r.version, r.description, r.status, r.slug_id AS SlugId, r.config, r.user_id AS UserId, " +
        "u.email AS UserEmail, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt FROM releases r JOIN accounts u ON u.id = r.user_id";

    private const string SelectFormation =
        "SELECT id, app_id AS AppId, type, command, quantity, size, created_at AS CreatedAt, updated_at AS UpdatedAt FROM formations";

    public async Task<IReadOnlyDictionary<string, string>> GetConfigAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadConfigAsync(connection, null, appId);
    }

    /// <summary>
    /// Applies config changes (null removes a key) and creates the release that carries them, atomically; with
    /// <c>releasePhase</c> (the current slug declares a <c>release</c> command) the release is <c>pending</c> until that succeeds.
    /// </summary>
    public Task<(IReadOnlyDictionary<string, string> Config, Release? Release)> ChangeConfigAsync(
        string appId, IReadOnlyDictionary<string, string?> changes, string userId, bool releasePhase = false, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var before = await ReadConfigAsync(connection, transaction, appId);
            var set = changes.Where(c => c.Value is not null && (!before.TryGetValue(c.Key, out var old) || old != c.Value)).Select(c => c.Key).ToList();
            var removed = changes.Where(c => c.Value is null && before.ContainsKey(c.Key)).Select(c => c.Key).ToList();
            if (set.Count == 0 && removed.Count == 0)
            {
                return (before, (Release?)null);
            }

            foreach (var (key, value) in changes)
            {
                await connection.ExecuteAsync(value is null
                    ? "DELETE FROM config_vars WHERE app_id = @appId AND key = @key"
                    : "INSERT INTO config_vars (app_id, key, value) VALUES (@appId, @key, @value) ON CONFLICT (app_id, key) DO UPDATE SET value = excluded.value",
                    new { appId, key, value }, transaction);
            }

            var description = set.Count > 0 && removed.Count == 0 ? $"Set {string.Join(", ", set)} config vars"
                : removed.Count > 0 && set.Count == 0 ? $"Remove {string.Join(", ", removed)} config vars"
                : $"Set {string.Join(", ", set)} and remove {string.Join(", ", removed)} config vars";
            var current = await CurrentAsync(connection, transaction, appId);
            var config = await ReadConfigAsync(connection, transaction, appId);
            var release = await InsertReleaseAsync(connection, transaction, appId, current?.SlugId, config, description, userId,
                releasePhase && current?.SlugId is not null ? ReleaseStatus.Pending : ReleaseStatus.Succeeded);
            return (config, (Release?)release);
        }, cancellationToken);

    /// <summary>
    /// Creates vN. With <paramref name="config"/> (a rollback) the app's config vars are replaced by it; otherwise the release
    /// snapshots the current ones. A new slug also reshapes the formation to its process types (web=1 on the first deploy).
    /// </summary>
    /// <remarks>
    /// A release whose slug declares a <c>release</c> command is created <c>pending</c>: the formation and the app's
    /// current release change only when <see cref="CompleteAsync"/> records that its release phase succeeded.
    /// </remarks>
    public Task<Release> CreateAsync(string appId, Slug? slug, string description, string userId,
        IReadOnlyDictionary<string, string>? config = null, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            if (config is not null)
            {
                await connection.ExecuteAsync("DELETE FROM config_vars WHERE app_id = @appId", new { appId }, transaction);
                foreach (var (key, value) in config)
                {
                    await connection.ExecuteAsync("INSERT INTO config_vars (app_id, key, value) VALUES (@appId, @key, @value)", new { appId, key, value }, transaction);
                }
            }

            var snapshot = config ?? await ReadConfigAsync(connection, transaction, appId);
            var pending = slug?.CommandFor(ReleasePhase.ProcessType) is not null;
            var release = await InsertReleaseAsync(connection, transaction, appId, slug?.Id, snapshot, description, userId,
                pending ? ReleaseStatus.Pending : ReleaseStatus.Succeeded);
            if (slug is not null && !pending)
            {
                await PublishSlugAsync(connection, transaction, appId, slug, release.CreatedAt);
            }

            return release;
        }, cancellationToken);

    /// <summary>Records the outcome of a pending release's release phase; on success its slug becomes the formation's.</summary>
    public Task<Release> CompleteAsync(string appId, string releaseId, Slug slug, bool succeeded, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            await connection.ExecuteAsync("UPDATE releases SET status = @status, updated_at = @now WHERE id = @releaseId AND app_id = @appId",
                new { appId, releaseId, now, status = succeeded ? ReleaseStatus.Succeeded : ReleaseStatus.Failed }, transaction);
            if (succeeded)
            {
                await PublishSlugAsync(connection, transaction, appId, slug, now);
            }

            return (await connection.QuerySingleAsync<ReleaseRow>($"{SelectRelease} WHERE r.id = @releaseId", new { releaseId }, transaction)).ToRelease();
        }, cancellationToken);

    /// <summary>At start-up: a release phase that was running when slipwayd stopped never finished; it failed.</summary>
    public async Task<int> FailInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE releases SET status = 'failed', updated_at = @now WHERE status = 'pending'", new { now = time.GetUtcNow() });
    }

    private async Task PublishSlugAsync(SqliteConnection connection, IDbTransaction transaction, string appId, Slug slug, DateTimeOffset now)
    {
        await ShapeFormationAsync(connection, transaction, appId, slug);
        await connection.ExecuteAsync(
            "UPDATE apps SET released_at = @now, slug_size = @Size, buildpack_description = @BuildpackDescription, updated_at = @now WHERE id = @appId",
            new { appId, now, slug.Size, slug.BuildpackDescription }, transaction);
    }

    public async Task<IReadOnlyList<Release>> ListAsync(string appId, bool descending, int? fromVersion, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var comparison = descending ? "<=" : ">=";
        var order = descending ? "DESC" : "ASC";
        var rows = await connection.QueryAsync<ReleaseRow>(
            $"{SelectRelease} WHERE r.app_id = @appId AND (@fromVersion IS NULL OR r.version {comparison} @fromVersion) ORDER BY r.version {order} LIMIT @max",
            new { appId, fromVersion, max });
        return rows.Select(r => r.ToRelease()).ToList();
    }

    /// <summary>Finds a release by id or by version number (<c>3</c> or <c>v3</c>).</summary>
    public async Task<Release?> FindAsync(string appId, string idOrVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var trimmed = idOrVersion.TrimStart('v', 'V');
        var version = int.TryParse(trimmed, out var v) ? v : (int?)null;
        var row = await connection.QuerySingleOrDefaultAsync<ReleaseRow>(
            $"{SelectRelease} WHERE r.app_id = @appId AND (r.id = @idOrVersion OR r.version = @version)", new { appId, idOrVersion, version });
        return row?.ToRelease();
    }

    /// <summary>The release dynos should run: the newest one that succeeded.</summary>
    public async Task<Release?> CurrentAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await CurrentAsync(connection, null, appId);
    }

    public async Task<IReadOnlyList<FormationEntry>> GetFormationAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FormationRow>($"{SelectFormation} WHERE app_id = @appId ORDER BY type", new { appId })).Select(r => r.ToEntry()).ToList();
    }

    /// <summary>Applies scale changes; a type the current slug does not declare is refused.</summary>
    public Task<IReadOnlyList<FormationEntry>> ScaleAsync(string appId, IReadOnlyList<FormationUpdate> updates, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var changed = new List<FormationEntry>();
            foreach (var update in updates)
            {
                var row = await connection.QuerySingleOrDefaultAsync<FormationRow>(
                    $"{SelectFormation} WHERE app_id = @appId AND type = @Type", new { appId, update.Type }, transaction)
                    ?? throw new FormationTypeNotFoundException(update.Type);
                var quantity = update.Quantity?.Resolve(row.Quantity) ?? row.Quantity;
                var size = update.Size ?? row.Size;
                await connection.ExecuteAsync("UPDATE formations SET quantity = @quantity, size = @size, updated_at = @now WHERE id = @Id",
                    new { row.Id, quantity, size, now }, transaction);
                changed.Add(row.ToEntry() with { Quantity = quantity, Size = size, UpdatedAt = now });
            }

            return (IReadOnlyList<FormationEntry>)changed;
        }, cancellationToken);

    private async Task ShapeFormationAsync(SqliteConnection connection, IDbTransaction transaction, string appId, Slug slug)
    {
        var now = time.GetUtcNow();
        var existing = (await connection.QueryAsync<FormationRow>($"{SelectFormation} WHERE app_id = @appId", new { appId }, transaction)).ToDictionary(r => r.Type);
        var firstDeploy = existing.Count == 0;
        foreach (var (type, command) in slug.ProcessTypes.Where(t => t.Key != ReleasePhase.ProcessType))
        {
            if (existing.Remove(type, out var row))
            {
                await connection.ExecuteAsync("UPDATE formations SET command = @command, updated_at = @now WHERE id = @Id", new { row.Id, command, now }, transaction);
                continue;
            }

            var quantity = firstDeploy && type == "web" ? 1 : 0;
            await connection.ExecuteAsync(
                "INSERT INTO formations (id, app_id, type, command, quantity, size, created_at, updated_at) VALUES (@id, @appId, @type, @command, @quantity, @size, @now, @now)",
                new { id = Guid.NewGuid().ToString(), appId, type, command, quantity, size = Core.Dynos.DynoSize.Default.Name, now }, transaction);
        }

        foreach (var gone in existing.Values)
        {
            await connection.ExecuteAsync("DELETE FROM formations WHERE id = @Id", new { gone.Id }, transaction);
        }
    }

    private async Task<Release> InsertReleaseAsync(SqliteConnection connection, IDbTransaction transaction, string appId, string? slugId,
        IReadOnlyDictionary<string, string> config, string description, string userId, string status = ReleaseStatus.Succeeded)
    {
        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        var version = await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) + 1 FROM releases WHERE app_id = @appId", new { appId }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO releases (id, app_id, version, description, status, slug_id, config, user_id, created_at, updated_at) " +
            "VALUES (@id, @appId, @version, @description, @status, @slugId, @config, @userId, @now, @now)",
            new { id, appId, version, description, status, slugId, config = JsonSerializer.Serialize(config), userId, now }, transaction);
        var row = await connection.QuerySingleAsync<ReleaseRow>($"{SelectRelease} WHERE r.id = @id", new { id }, transaction);
        return row.ToRelease();
    }

    private static async Task<Release?> CurrentAsync(SqliteConnection connection, IDbTransaction? transaction, string appId) =>
        (await connection.QueryFirstOrDefaultAsync<ReleaseRow>(
            $"{SelectRelease} WHERE r.app_id = @appId AND r.status = 'succeeded' ORDER BY r.version DESC LIMIT 1", new { appId }, transaction))?.ToRelease();

    private static async Task<IReadOnlyDictionary<string, string>> ReadConfigAsync(SqliteConnection connection, IDbTransaction? transaction, string appId)
    {
        var rows = await connection.QueryAsync<(string Key, string Value)>("SELECT key, value FROM config_vars WHERE app_id = @appId ORDER BY key", new { appId }, transaction);
        return rows.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    private sealed class ReleaseRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public int Version { get; set; }

        public string Description { get; set; } = "";

        public string Status { get; set; } = "";

        public string? SlugId { get; set; }

        public string Config { get; set; } = "{}";

        public string UserId { get; set; } = "";

        public string UserEmail { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public Release ToRelease() => new()
        {
            Id = Id, AppId = AppId, Version = Version, Description = Description, Status = Status, SlugId = SlugId,
            Config = JsonSerializer.Deserialize<Dictionary<string, string>>(Config) ?? [], UserId = UserId, UserEmail = UserEmail,
            CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }

    private sealed class FormationRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string Type { get; set; } = "";

        public string Command { get; set; } = "";

        public int Quantity { get; set; }

        public string Size { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public FormationEntry ToEntry() => new()
        {
            Id = Id, AppId = AppId, Type = Type, Command = Command, Quantity = Quantity, Size = Size, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }
}
