using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Logs;
using Slipway.Data.Tests.Infrastructure;

namespace Slipway.Data.Tests.Logs;

public sealed class LogDrainRepositoryTests : DatabaseTest
{
    [Fact]
    public async Task Add_GivesADrainToken_AndFindsByIdTokenOrUrl()
    {
        var app = await CreateAppAsync("drained");
        var drains = new LogDrainRepository(Database, Time);
        var drain = await drains.AddAsync(app, "syslog://127.0.0.1:6514");

        Assert.Matches("^d\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", drain.Token);
        Assert.Equal(drain, await drains.FindAsync(app, drain.Id));
        Assert.Equal(drain, await drains.FindAsync(app, drain.Token));
        Assert.Equal(drain, await drains.FindAsync(app, "syslog://127.0.0.1:6514"));
        Assert.Null(await drains.FindAsync("another-app", drain.Id));
        Assert.Equal([drain], await drains.ListAsync(app));
        Assert.Equal([drain], await drains.ListAsync(null));
    }

    [Fact]
    public async Task Add_SameUrlTwice_IsDuplicate_ButAnotherAppMayUseIt()
    {
        var first = await CreateAppAsync("first");
        var second = await CreateAppAsync("second");
        var drains = new LogDrainRepository(Database, Time);
        await drains.AddAsync(first, "https://logs.example.com/in");
        await Assert.ThrowsAsync<DuplicateException>(() => drains.AddAsync(first, "https://logs.example.com/in"));
        await drains.AddAsync(second, "https://logs.example.com/in");
        Assert.Equal(2, (await drains.ListAsync(null)).Count);
    }

    [Fact]
    public async Task Delete_RemovesTheDrain_AndDeletingTheAppRemovesItsDrains()
    {
        var kept = await CreateAppAsync("kept");
        var destroyed = await CreateAppAsync("destroyed");
        var drains = new LogDrainRepository(Database, Time);
        var drain = await drains.AddAsync(kept, "syslog://127.0.0.1:1514");
        await drains.AddAsync(destroyed, "syslog://127.0.0.1:1514");

        Assert.True(await drains.DeleteAsync(drain.Id));
        Assert.False(await drains.DeleteAsync(drain.Id));
        await new AppRepository(Database, Time).DeleteAsync(destroyed);
        Assert.Empty(await drains.ListAsync(null));
    }

    private async Task<string> CreateAppAsync(string name)
    {
        var accounts = new AccountRepository(Database, Time);
        var owner = await accounts.CreateAsync($"{name}@example.com", null, null, isAdmin: false);
        return (await new AppRepository(Database, Time).CreateAsync(name, owner.Id)).Id;
    }
}
