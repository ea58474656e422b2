using Dapper;

namespace Slipway.Data.Logs;

/// <summary>An app's log drain: where its lines are forwarded, and the token that identifies them there.</summary>
public sealed record LogDrainRecord(string Id, string AppId, string Url, string Token, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The log drains of every app (<c>/apps/{app}/log-drains</c>).</summary>
public sealed class LogDrainRepository(SlipwayDatabase database, TimeProvider time)
{
    private const string Select = "SELECT id, app_id AS AppId, url, token, created_at AS CreatedAt, updated_at AS UpdatedAt FROM log_drains";

    /// <summary>Adds a drain with a fresh <c>d.&lt;uuid&gt;</c> token; a URL the app already drains to is a <see cref="DuplicateException"/>.</summary>
    public async Task<LogDrainRecord> AddAsync(string appId, string url, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var drain = new LogDrainRecord(Guid.NewGuid().ToString(), appId, url, "d." + Guid.NewGuid(), now, now);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO log_drains (id, app_id, url, token, created_at, updated_at) VALUES (@Id, @AppId, @Url, @Token, @CreatedAt, @UpdatedAt) " +
            "ON CONFLICT (app_id, url) DO NOTHING",
            drain);
        return inserted == 1 ? drain : throw new DuplicateException("Url has already been taken: this app already drains to that URL.");
    }

    public async Task<IReadOnlyList<LogDrainRecord>> ListAsync(string? appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DrainRow>($"{Select} WHERE @appId IS NULL OR app_id = @appId ORDER BY created_at, id", new { appId });
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>One of an app's drains by id, token or URL (the heroku CLI removes drains by URL).</summary>
    public async Task<LogDrainRecord?> FindAsync(string appId, string idTokenOrUrl, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DrainRow>(
            $"{Select} WHERE app_id = @appId AND (id = @key OR token = @key OR url = @key) LIMIT 1", new { appId, key = idTokenOrUrl });
        return row?.ToRecord();
    }

    public async Task<bool> DeleteAsync(string drainId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM log_drains WHERE id = @drainId", new { drainId }) == 1;
    }

    private sealed class DrainRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string Url { get; set; } = "";

        public string Token { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public LogDrainRecord ToRecord() => new(Id, AppId, Url, Token, CreatedAt, UpdatedAt);
    }
}
