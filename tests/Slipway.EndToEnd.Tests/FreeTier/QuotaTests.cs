using System.Net;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.FreeTier;

/// <summary>A pool used up mid-month: the app sleeps, the router answers H82, and a restart of slipwayd keeps the meter.</summary>
public sealed class QuotaTests(TinyQuotaServer server) : EndToEndTest(server), IClassFixture<TinyQuotaServer>
{
    [Fact]
    public async Task Exhaustion_GivesH82_AndTheMeterSurvivesAKill9()
    {
        RequireSandbox();
        var app = await CreateAppAsync("metered");
        Assert.Equal(0, (await Server.CliAsync("deploy", EchoApp.Create(), "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=1:free", "-a", app)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app, "/", b => b.StartsWith("GET", StringComparison.Ordinal))).Status);

        await Task.Delay(TimeSpan.FromSeconds(4));
        var before = await QuotaAsync();
        var used = before.GetProperty("quota_used").GetInt64();
        Assert.InRange(used, 2, 30);
        await Server.KillAndRestartAsync();

        // At most one checkpoint (1 s) is lost to the kill; the restarted dyno runs on meanwhile.
        var after = await QuotaAsync();
        Assert.InRange(after.GetProperty("quota_used").GetInt64(), used - 1, used + 8);

        var (status, body) = await Server.GetAppAsync(app, "/", b => b.Contains("H82"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("H82", body);
        Assert.Contains("renews", body);
        var exhausted = await QuotaAsync();
        Assert.True(exhausted.GetProperty("exhausted").GetBoolean());
        Assert.InRange(exhausted.GetProperty("quota_used").GetInt64(), 29, 34);

        var ps = JsonDocument.Parse((await Server.CliAsync("ps", "--json", "-a", app)).Output).RootElement;
        Assert.DoesNotContain(ps.EnumerateArray(), d => d.GetProperty("state").GetString() == "up");
    }

    private async Task<JsonElement> QuotaAsync()
    {
        var result = await Server.CliAsync("quota", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement;
    }
}
