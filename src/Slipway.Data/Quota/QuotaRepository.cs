using Dapper;
using Slipway.Core.Quota;

namespace Slipway.Data.Quota;

/// <summary>Persisted dyno-hour usage and quota notifications.</summary>
public sealed class QuotaRepository(SlipwayDatabase database, TimeProvider time)
{
    /// <summary>Adds metered seconds, all in one transaction: a checkpoint is recorded whole or not at all.</summary>
    public Task AddUsageAsync(IReadOnlyList<MeteredUsage> usage, CancellationToken cancellationToken = default) =>
        usage.Count == 0
            ? Task.CompletedTask
            : database.InTransactionAsync(async (connection, transaction) =>
            {
                foreach (var u in usage)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO quota_usage (account_id, pool, month, app_id, seconds) VALUES (@AccountId, @pool, @Month, @AppId, @Seconds) " +
                        "ON CONFLICT (account_id, pool, month, app_id) DO UPDATE SET seconds = seconds + excluded.seconds",
                        new { u.AccountId, pool = u.Pool.ToString(), u.Month, u.AppId, u.Seconds }, transaction);
                }

                return 0;
            }, cancellationToken);

    public async Task<IReadOnlyList<MeteredUsage>> MonthAsync(string month, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string Pool, string Month, string AppId, double Seconds)>(
            "SELECT account_id, pool, month, app_id, seconds FROM quota_usage WHERE month = @month", new { month });
        return rows.Select(r => new MeteredUsage(r.AccountId, Enum.Parse<QuotaPool>(r.Pool), r.Month, r.AppId, r.Seconds)).ToList();
    }

    /// <summary>Records a notification once per account, pool, month and level; false when it was already recorded.</summary>
    public async Task<bool> RecordEventAsync(string accountId, QuotaPool pool, string month, int level, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "INSERT INTO quota_events (id, account_id, pool, month, level, message, created_at) VALUES (@id, @accountId, @pool, @month, @level, @message, @now) " +
            "ON CONFLICT DO NOTHING",
            new { id = Guid.NewGuid().ToString(), accountId, pool = pool.ToString(), month, level, message, now = time.GetUtcNow() }) > 0;
    }

    public async Task<IReadOnlyList<QuotaEvent>> EventsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string Pool, string Month, long Level, string Message, string CreatedAt)>(
            "SELECT id, pool, month, level, message, created_at FROM quota_events WHERE account_id = @accountId ORDER BY created_at", new { accountId });
        return rows.Select(r => new QuotaEvent(r.Id, Enum.Parse<QuotaPool>(r.Pool), r.Month, (int)r.Level, r.Message,
            DateTimeOffset.Parse(r.CreatedAt, System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }
}

public sealed record MeteredUsage(string AccountId, QuotaPool Pool, string Month, string AppId, double Seconds);

public sealed record QuotaEvent(string Id, QuotaPool Pool, string Month, int Level, string Message, DateTimeOffset CreatedAt);
