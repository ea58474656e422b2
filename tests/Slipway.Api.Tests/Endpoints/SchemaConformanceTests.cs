using System.Text.Json;
using Slipway.Api.Tests.Infrastructure;
using Slipway.Api.Tests.Schema;

namespace Slipway.Api.Tests.Endpoints;

/// <summary>Every JSON body the heroku CLI reads conforms to its resource in Heroku's Platform API schema.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class SchemaConformanceTests(ApiHost host)
{
    private static readonly HerokuSchema Schema = HerokuSchema.Load();

    private string App => $"/apps/{host.AppName}";

    [Fact]
    public async Task Account_AndRateLimits_Conform()
    {
        Conforms("account", await host.JsonAsync(HttpMethod.Get, "/account"));
        Conforms("rate-limit", await host.JsonAsync(HttpMethod.Get, "/account/rate-limits"));
    }

    [Fact]
    public async Task Apps_CreateReadListUpdateDelete_Conform()
    {
        var name = "schema-app-" + Guid.NewGuid().ToString("N")[..6];
        Conforms("app", await host.JsonAsync(HttpMethod.Post, "/apps", new { name }));
        Conforms("app", await host.JsonAsync(HttpMethod.Get, $"/apps/{name}"));
        AllConform("app", await host.JsonAsync(HttpMethod.Get, "/apps"), atLeast: 2);
        AllConform("app", await host.JsonAsync(HttpMethod.Get, "/users/~/apps"), atLeast: 2);
        var patched = await host.JsonAsync(HttpMethod.Patch, $"/apps/{name}", new { maintenance = true });
        Conforms("app", patched);
        Assert.True(patched.GetProperty("maintenance").GetBoolean());
        Conforms("app", await host.JsonAsync(HttpMethod.Delete, $"/apps/{name}"));
    }

    [Fact]
    public async Task ConfigVars_AreAFlatObjectOfStrings()
    {
        var patched = await host.JsonAsync(HttpMethod.Patch, $"{App}/config-vars", new Dictionary<string, string?> { ["SCHEMA_VAR"] = "1", ["GONE"] = null });
        var read = await host.JsonAsync(HttpMethod.Get, $"{App}/config-vars");
        foreach (var config in new[] { patched, read })
        {
            Assert.Equal(JsonValueKind.Object, config.ValueKind);
            Assert.All(config.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
            Assert.Equal("1", config.GetProperty("SCHEMA_VAR").GetString());
        }
    }

    [Fact]
    public async Task Releases_ListOneAndRollback_Conform()
    {
        var list = await host.JsonAsync(HttpMethod.Get, $"{App}/releases");
        AllConform("release", list, atLeast: 2);
        Conforms("release", await host.JsonAsync(HttpMethod.Get, $"{App}/releases/1"));
        var rollback = await host.JsonAsync(HttpMethod.Post, $"{App}/releases", new { release = list[1].GetProperty("id").GetString() });
        Conforms("release", rollback);
        Assert.Equal($"Rollback to v{list[1].GetProperty("version").GetInt32()}", rollback.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Formation_AndDynos_Conform()
    {
        AllConform("formation", await host.JsonAsync(HttpMethod.Get, $"{App}/formation"), atLeast: 1);
        Conforms("formation", await host.JsonAsync(HttpMethod.Get, $"{App}/formation/web"));
        var scaled = await host.JsonAsync(HttpMethod.Patch, $"{App}/formation", new { updates = new[] { new { type = "web", quantity = "1" } } });
        AllConform("formation", scaled, atLeast: 1);
        AllConform("dyno", await host.JsonAsync(HttpMethod.Get, $"{App}/dynos"), atLeast: 1);
    }

    [Fact]
    public async Task Builds_Conform()
    {
        AllConform("build", await host.JsonAsync(HttpMethod.Get, $"{App}/builds"), atLeast: 1);
    }

    [Fact]
    public async Task Collaborators_AndDomains_Conform()
    {
        AllConform("collaborator", await host.JsonAsync(HttpMethod.Get, $"{App}/collaborators"), atLeast: 1);
        var hostname = $"www.{Guid.NewGuid():N}.example.com";
        Conforms("domain", await host.JsonAsync(HttpMethod.Post, $"{App}/domains", new { hostname, sni_endpoint = (string?)null }));
        var domains = await host.JsonAsync(HttpMethod.Get, $"{App}/domains");
        AllConform("domain", domains, atLeast: 2);
        Assert.Contains(domains.EnumerateArray(), d => d.GetProperty("kind").GetString() == "heroku");
        Conforms("domain", await host.JsonAsync(HttpMethod.Get, $"{App}/domains/{hostname}"));
        Conforms("domain", await host.JsonAsync(HttpMethod.Delete, $"{App}/domains/{hostname}"));
    }

    [Fact]
    public async Task Errors_AreIdAndMessage()
    {
        foreach (var path in new[] { "/apps/no-such-app-here", $"{App}/pipeline-couplings", $"{App}/releases/999" })
        {
            using var response = await host.SendAsync(HttpMethod.Get, path);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("not_found", body.RootElement.GetProperty("id").GetString());
            Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        }
    }

    private static void Conforms(string resource, JsonElement value)
    {
        var errors = Schema.Validate(resource, value);
        Assert.True(errors.Count == 0, $"{resource} does not conform:\n{string.Join('\n', errors)}\n{value}");
    }

    private static void AllConform(string resource, JsonElement list, int atLeast)
    {
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.True(list.GetArrayLength() >= atLeast, $"expected at least {atLeast} {resource}(s), got {list}");
        foreach (var item in list.EnumerateArray())
        {
            Conforms(resource, item);
        }
    }
}
