using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Apps;
using Slipway.Core.Quota;
using Slipway.Data;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Quota;
using Slipway.Runtime.Quota;

namespace Slipway.Runtime.Tests.Quota;

/// <summary>A month of metering against a real SQLite store, with a fake clock.</summary>
public sealed class QuotaServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-quota-").FullName;
    private readonly FakeTimeProvider _time = new(November);
    private SlipwayDatabase _database = null!;
    private AccountRepository _accounts = null!;
    private App _app = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new SlipwayDatabase(Path.Combine(_directory, "slipway.db"));
        await _database.MigrateAsync();
        _accounts = new AccountRepository(_database, _time);
        var owner = await _accounts.CreateAsync("metered@example.com", null, null, isAdmin: false);
        _app = await new AppRepository(_database, _time).CreateAsync("metered", owner.Id);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task VerificationMidMonth_RaisesThePoolAtOnce_AndKeepsWhatWasUsed()
    {
        var quota = Service();
        await quota.LoadAsync();
        quota.Started("web", _app, "free");

        // 550 free hours run out on the 23rd at 22:00; the app sleeps for the rest of the month.
        var notices = await RunUntilAsync(quota, November + TimeSpan.FromHours(550));
        Assert.Equal([80, 100], notices.Select(n => n.Level));
        Assert.True(quota.IsExhausted(_app.OwnerId, QuotaPool.Free));
        quota.Stopped("web");

        // Verified the next morning: 1000 hours, 550 of them used, so the app may wake again.
        _time.Advance(TimeSpan.FromHours(10));
        await _accounts.SetVerifiedAsync(_app.OwnerId, verified: true);
        await quota.ReconsiderAsync(_app.OwnerId);
        Assert.False(quota.IsExhausted(_app.OwnerId, QuotaPool.Free));
        Assert.Equal(TimeSpan.FromHours(550).TotalSeconds, quota.UsageByApp(_app.OwnerId, QuotaPool.Free)[_app.Id]);

        // The remaining 450 hours are more than the month has left: the pool is not exhausted again in November.
        quota.Started("web", _app, "free");
        Assert.Null(await quota.NextExhaustionAsync());
        Assert.Empty(await RunUntilAsync(quota, new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero)));
        Assert.False(quota.IsExhausted(_app.OwnerId, QuotaPool.Free));
    }

    [Fact]
    public async Task ReconsiderWithoutVerification_LeavesAnExhaustedPoolExhausted()
    {
        var quota = Service();
        await quota.LoadAsync();
        quota.Started("worker", _app, "free");
        await RunUntilAsync(quota, November + TimeSpan.FromHours(551));
        await quota.ReconsiderAsync(_app.OwnerId);
        Assert.True(quota.IsExhausted(_app.OwnerId, QuotaPool.Free));
    }

    private QuotaService Service() => new(new QuotaRepository(_database, _time), _accounts, _time, new QuotaOptions());

    /// <summary>Advances the clock a day at a time with a checkpoint each day, as the checkpoint timer would; returns the notices.</summary>
    private async Task<List<QuotaNotice>> RunUntilAsync(QuotaService quota, DateTimeOffset until)
    {
        var notices = new List<QuotaNotice>();
        while (_time.GetUtcNow() < until)
        {
            var step = until - _time.GetUtcNow();
            _time.Advance(step < TimeSpan.FromDays(1) ? step : TimeSpan.FromDays(1));
            notices.AddRange(await quota.CheckpointAsync());
        }

        return notices;
    }
}
