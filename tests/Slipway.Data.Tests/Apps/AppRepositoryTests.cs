using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Accounts;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;

namespace Slipway.Data.Tests.Apps;

public sealed class AppRepositoryTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-data-").FullName;
    private readonly FakeTimeProvider _time = new();
    private SlipwayDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new SlipwayDatabase(Path.Combine(_directory, "slipway.db"));
        await _database.MigrateAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Create_TakenName_IsDuplicate_AndSequencesAreUnique()
    {
        var accounts = new AccountRepository(_database, _time);
        var owner = await accounts.CreateAsync("a@example.com", null, null, isAdmin: true);
        var apps = new AppRepository(_database, _time);
        var first = await apps.CreateAsync("hello", owner.Id);
        var second = await apps.CreateAsync("world", owner.Id);
        Assert.NotEqual(first.Sequence, second.Sequence);
        Assert.Equal("a@example.com", first.OwnerEmail);
        await Assert.ThrowsAsync<DuplicateException>(() => apps.CreateAsync("hello", owner.Id));
        Assert.Equal(first.Id, (await apps.FindAsync("hello"))!.Id);
        Assert.Equal("hello", (await apps.FindAsync(first.Id))!.Name);

        await apps.DeleteAsync(first.Id);
        Assert.Null(await apps.FindAsync("hello"));
    }

    [Fact]
    public async Task Tokens_AreFoundByHashOnly()
    {
        var accounts = new AccountRepository(_database, _time);
        var account = await accounts.CreateAsync("b@example.com", null, Secrets.HashPassword("pw"), isAdmin: false);
        var token = Secrets.NewToken();
        await accounts.AddTokenAsync(account.Id, Secrets.HashToken(token), "test");
        Assert.Equal(account.Id, (await accounts.FindByTokenHashAsync(Secrets.HashToken(token)))!.Id);
        Assert.Null(await accounts.FindByTokenHashAsync(token));
        await Assert.ThrowsAsync<DuplicateException>(() => accounts.CreateAsync("B@example.com", null, null, isAdmin: false));
    }
}
