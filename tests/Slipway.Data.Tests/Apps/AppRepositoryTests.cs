using Slipway.Core.Accounts;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Tests.Infrastructure;

namespace Slipway.Data.Tests.Apps;

public sealed class AppRepositoryTests : DatabaseTest
{
    [Fact]
    public async Task Create_TakenName_IsDuplicate_AndSequencesAreUnique()
    {
        var accounts = new AccountRepository(Database, Time);
        var owner = await accounts.CreateAsync("a@example.com", null, null, isAdmin: true);
        var apps = new AppRepository(Database, Time);
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
        var accounts = new AccountRepository(Database, Time);
        var account = await accounts.CreateAsync("b@example.com", null, Secrets.HashPassword("pw"), isAdmin: false);
        var token = Secrets.NewToken();
        await accounts.AddTokenAsync(account.Id, Secrets.HashToken(token), "test");
        Assert.Equal(account.Id, (await accounts.FindByTokenHashAsync(Secrets.HashToken(token)))!.Id);
        Assert.Null(await accounts.FindByTokenHashAsync(token));
        await Assert.ThrowsAsync<DuplicateException>(() => accounts.CreateAsync("B@example.com", null, null, isAdmin: false));
    }
}
