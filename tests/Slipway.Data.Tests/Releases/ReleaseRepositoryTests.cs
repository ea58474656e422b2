using Slipway.Core.Apps;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Data.Releases;
using Slipway.Data.Tests.Infrastructure;

namespace Slipway.Data.Tests.Releases;

/// <summary>Against a real SQLite file: releases, config and formation change together.</summary>
public sealed class ReleaseRepositoryTests : DatabaseTest
{
    private ReleaseRepository _releases = null!;
    private BuildRepository _builds = null!;
    private string _appId = "";
    private string _userId = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Database.MigrateAsync(); // idempotent
        _releases = new ReleaseRepository(Database, Time);
        _builds = new BuildRepository(Database, Time);
        var user = await new AccountRepository(Database, Time).CreateAsync("dev@example.com", null, null, isAdmin: false);
        _userId = user.Id;
        _appId = (await new AppRepository(Database, Time).CreateAsync("hello", user.Id)).Id;
    }

    [Fact]
    public async Task ChangeConfig_CreatesAReleaseWithTheSnapshot_AndNoReleaseWhenNothingChanges()
    {
        await _releases.CreateAsync(_appId, null, "Initial release", _userId);
        var (config, release) = await _releases.ChangeConfigAsync(_appId, new Dictionary<string, string?> { ["FOO"] = "1", ["BAR"] = "2" }, _userId);
        Assert.Equal(2, release!.Version);
        Assert.Equal("Set FOO, BAR config vars", release.Description);
        Assert.Equal("1", config["FOO"]);

        var (_, unchanged) = await _releases.ChangeConfigAsync(_appId, new Dictionary<string, string?> { ["FOO"] = "1" }, _userId);
        Assert.Null(unchanged);

        var (after, removed) = await _releases.ChangeConfigAsync(_appId, new Dictionary<string, string?> { ["FOO"] = null }, _userId);
        Assert.Equal("Remove FOO config vars", removed!.Description);
        Assert.False(after.ContainsKey("FOO"));
        Assert.Equal("1", (await _releases.FindAsync(_appId, "v2"))!.Config["FOO"]);
    }

    [Fact]
    public async Task Deploy_ShapesFormation_WebOneOnFirstDeploy_OthersZero_DroppedTypesRemoved()
    {
        var first = await AddSlugAsync(("web", "node server.js"), ("worker", "node worker.js"));
        await _releases.CreateAsync(_appId, first, "Deploy", _userId);
        var formation = await _releases.GetFormationAsync(_appId);
        Assert.Equal(1, formation.Single(f => f.Type == "web").Quantity);
        Assert.Equal(0, formation.Single(f => f.Type == "worker").Quantity);

        await _releases.ScaleAsync(_appId, [new FormationUpdate("worker", new QuantityChange(2, false), "standard-2x")]);
        await _releases.ScaleAsync(_appId, [new FormationUpdate("worker", new QuantityChange(-1, true), null)]);
        var second = await AddSlugAsync(("web", "node app.js"));
        await _releases.CreateAsync(_appId, second, "Deploy", _userId);
        formation = await _releases.GetFormationAsync(_appId);
        Assert.Equal("node app.js", Assert.Single(formation).Command);
        Assert.Equal(1, formation[0].Quantity);

        await Assert.ThrowsAsync<FormationTypeNotFoundException>(() => _releases.ScaleAsync(_appId, [new FormationUpdate("worker", new QuantityChange(1, false), null)]));
    }

    [Fact]
    public async Task Rollback_RestoresConfig_AndListHonoursOrderAndMax()
    {
        await _releases.CreateAsync(_appId, null, "Initial release", _userId);
        await _releases.ChangeConfigAsync(_appId, new Dictionary<string, string?> { ["A"] = "old" }, _userId);
        await _releases.ChangeConfigAsync(_appId, new Dictionary<string, string?> { ["A"] = "new" }, _userId);
        var v2 = (await _releases.FindAsync(_appId, "2"))!;
        var rollback = await _releases.CreateAsync(_appId, null, "Rollback to v2", _userId, v2.Config);
        Assert.Equal(4, rollback.Version);
        Assert.Equal("old", (await _releases.GetConfigAsync(_appId))["A"]);

        var newest = await _releases.ListAsync(_appId, descending: true, fromVersion: null, max: 1);
        Assert.Equal(4, Assert.Single(newest).Version);
        var page = await _releases.ListAsync(_appId, descending: false, fromVersion: 2, max: 2);
        Assert.Equal([2, 3], page.Select(r => r.Version));
    }

    private Task<Slug> AddSlugAsync(params (string Type, string Command)[] types) => _builds.AddSlugAsync(new Slug
    {
        Id = Guid.NewGuid().ToString(), AppId = _appId, ProcessTypes = types.Select(t => new KeyValuePair<string, string>(t.Type, t.Command)).ToList(),
        Size = 1, Checksum = "SHA256:00", Stack = "heroku-24", CreatedAt = Time.GetUtcNow(),
    });
}
