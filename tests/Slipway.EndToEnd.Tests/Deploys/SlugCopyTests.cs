using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Deploys;

/// <summary><c>POST /apps/{app}/releases {"slug": id}</c> with another app's slug copies it, as Heroku does between an account's apps.</summary>
[Collection(ServerCollection.Name)]
public sealed class SlugCopyTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task AnotherOwnAppsSlug_IsCopied_AndServesAfterTheSourceAppIsGone()
    {
        RequireSandbox();
        var source = await CreateAppAsync("slugsrc");
        var deploy = await Server.CliAsync("deploy", Example("node-hello"), "-a", source);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var api = Api();
        var slugId = (await api.GetFromJsonAsync<JsonElement>($"/apps/{source}/releases/2")).GetProperty("slug").GetProperty("id").GetString()!;

        var target = await CreateAppAsync("slugdst");
        using var released = await api.PostAsJsonAsync($"/apps/{target}/releases", new { slug = slugId });
        Assert.True(released.StatusCode == HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        var copy = (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetProperty("id").GetString();
        Assert.NotEqual(slugId, copy);

        var destroyed = await Server.CliAsync("apps:destroy", source, "--confirm", source);
        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        var restarted = await Server.CliAsync("ps:restart", "-a", target);
        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        var (status, body) = await Server.GetAppAsync(target);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway!", body);
    }

    [Fact]
    public async Task AnotherAccountsSlug_Is404()
    {
        RequireSandbox();
        var mine = await CreateAppAsync("slugmine");
        var deploy = await Server.CliAsync("deploy", Example("static-site"), "-a", mine);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var admin = Api();
        var slugId = (await admin.GetFromJsonAsync<JsonElement>($"/apps/{mine}/releases/2")).GetProperty("slug").GetProperty("id").GetString()!;

        using var other = Api((await CreateAccountAsync("correct horse battery")).Token);
        var theirs = UniqueName("slugtheirs");
        using var created = await other.PostAsJsonAsync("/apps", new { name = theirs });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var refused = await other.PostAsJsonAsync($"/apps/{theirs}/releases", new { slug = slugId });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("Couldn't find that slug.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
    }
}
