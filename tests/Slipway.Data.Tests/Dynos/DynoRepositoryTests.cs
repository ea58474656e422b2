using Slipway.Core.Dynos;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Dynos;
using Slipway.Data.Tests.Infrastructure;

namespace Slipway.Data.Tests.Dynos;

public sealed class DynoRepositoryTests : DatabaseTest
{
    [Fact]
    public async Task Apply_WritesABatchInOrder_LaterChangesWin()
    {
        var owner = await new AccountRepository(Database, Time).CreateAsync("a@example.com", null, null, isAdmin: true);
        var app = await new AppRepository(Database, Time).CreateAsync("hello", owner.Id);
        var dynos = new DynoRepository(Database);
        var web = Dyno(app.Id, "web.1", DynoState.Starting);
        var worker = Dyno(app.Id, "worker.1", DynoState.Starting);

        await dynos.ApplyAsync(
        [
            DynoRecordChange.Upsert(web), DynoRecordChange.Upsert(worker),
            DynoRecordChange.Upsert(web with { State = DynoState.Up }), DynoRecordChange.Delete(worker.Id),
        ], TestContext.Current.CancellationToken);

        var stored = Assert.Single(await dynos.ListAsync(app.Id, TestContext.Current.CancellationToken));
        Assert.Equal(("web.1", DynoState.Up), (stored.Name, stored.State));
    }

    private DynoRecord Dyno(string appId, string name, DynoState state) => new()
    {
        Id = Guid.NewGuid().ToString(), AppId = appId, Name = name, Type = name.Split('.')[0], Command = "sleep 1", Size = "basic", State = state,
        ReleaseId = "release-1", ReleaseVersion = 1, Port = 20000, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(),
    };
}
