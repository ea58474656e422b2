using Dapper;

namespace Slipway.Data.Domains;

/// <summary>Custom domains; a hostname belongs to at most one app.</summary>
public sealed class DomainRepository(SlipwayDatabase database, TimeProvider time)
{
    /// <summary>Raised after a domain is added or removed, so that caches of the host map (the router's) drop their copy.</summary>
    public event Action? Changed;

    private const string Select = "SELECT id, app_id AS AppId, hostname, created_at AS CreatedAt, updated_at AS UpdatedAt FROM domains";

    public async Task<Domain> AddAsync(string appId, string hostname, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var domain = new Domain { Id = Guid.NewGuid().ToString(), AppId = appId, Hostname = hostname.ToLowerInvariant(), CreatedAt = now, UpdatedAt = now };
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO domains (id, app_id, hostname, created_at, updated_at) VALUES (@Id, @AppId, @Hostname, @CreatedAt, @UpdatedAt)", domain);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new DuplicateException($"Domain {hostname} is already in use by an app.");
        }

        Changed?.Invoke();
        return domain;
    }

    public async Task<IReadOnlyList<Domain>> ListAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DomainRow>($"{Select} WHERE app_id = @appId ORDER BY hostname", new { appId })).Select(r => r.ToDomain()).ToList();
    }

    /// <summary>An app's domain by id or hostname.</summary>
    public async Task<Domain?> FindAsync(string appId, string idOrHostname, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<DomainRow>(
            $"{Select} WHERE app_id = @appId AND (id = @idOrHostname OR hostname = @idOrHostname COLLATE NOCASE)", new { appId, idOrHostname }))?.ToDomain();
    }

    /// <summary>The app a custom hostname routes to, or null.</summary>
    public async Task<string?> AppForHostAsync(string hostname, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT app_id FROM domains WHERE hostname = @hostname COLLATE NOCASE", new { hostname });
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var removed = await connection.ExecuteAsync("DELETE FROM domains WHERE id = @id", new { id }) > 0;
        Changed?.Invoke();
        return removed;
    }

    private sealed class DomainRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string Hostname { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public Domain ToDomain() => new() { Id = Id, AppId = AppId, Hostname = Hostname, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt };
    }
}
