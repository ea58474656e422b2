using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Config;

public class ConfigCommandTests
{
    [Fact]
    public async Task ConfigSet_PatchesThenReadsNewestRelease()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("PATCH", "/apps/my-app/config-vars", """{"FOO":"bar","URL":"http://x?a=b","OLD":"1"}""");
        api.Server.MapJson("GET", "/apps/my-app/releases", """[{"id":"r4","version":4,"description":"Set FOO, URL config vars","status":"succeeded","current":true}]""");

        var result = await api.Cli.RunAsync("config:set", "FOO=bar", "URL=http://x?a=b", "-a", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Setting FOO and URL and restarting ⬢ my-app... done, v4\nFOO: bar\nURL: http://x?a=b\n",
            result.Out);
        var patch = api.Server.The("PATCH", "/apps/my-app/config-vars");
        Assert.Equal("application/vnd.heroku+json; version=3", patch.Header("Accept"));
        Assert.Equal("Bearer test-token", patch.Header("Authorization"));
        Assert.StartsWith("slipway-cli/", patch.Header("User-Agent"), StringComparison.Ordinal);
        Assert.StartsWith("application/json", patch.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string> { ["FOO"] = "bar", ["URL"] = "http://x?a=b" },
            JsonSerializer.Deserialize<Dictionary<string, string>>(patch.Body));
        Assert.Equal("version ..; order=desc,max=1", api.Server.The("GET", "/apps/my-app/releases").Header("Range"));
        Assert.Equal(["PATCH", "GET"], api.Server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ConfigSet_MalformedPair_IsUsageErrorWithoutRequests()
    {
        await using var api = await ApiFixture.StartAsync();
        var result = await api.Cli.RunAsync("config:set", "FOO", "-a", "my-app");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("slipway: FOO is invalid. Must be in the format FOO=bar.", result.Err);
        Assert.Empty(api.Server.Requests);
    }

    [Fact]
    public async Task ConfigUnset_SendsNulls()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("PATCH", "/apps/my-app/config-vars", "{}");
        api.Server.MapJson("GET", "/apps/my-app/releases", """[{"version":5}]""");

        var result = await api.Cli.RunAsync("config:unset", "FOO", "BAR", "-a", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Unsetting FOO and BAR and restarting ⬢ my-app... done, v5\n", result.Out);
        Assert.Equal("""{"FOO":null,"BAR":null}""", api.Server.The("PATCH", "/apps/my-app/config-vars").BodyText);
    }

    [Fact]
    public async Task Config_PrintsAlignedSortedAndShellAndJson()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/config-vars", """{"LONG_NAME":"it's here","A":"1"}""");

        var plain = await api.Cli.RunAsync("config", "-a", "my-app");
        var shell = await api.Cli.RunAsync("config", "--shell", "-a", "my-app");
        var json = await api.Cli.RunAsync("config", "--json", "-a", "my-app");
        var get = await api.Cli.RunAsync("config:get", "LONG_NAME", "-a", "my-app");
        var missing = await api.Cli.RunAsync("config:get", "NOPE", "-a", "my-app");

        Assert.Equal("=== my-app Config Vars\n\nA:         1\nLONG_NAME: it's here\n", plain.Out);
        Assert.Equal("A=1\nLONG_NAME='it'\\''s here'\n", shell.Out);
        Assert.Equal("it's here", JsonDocument.Parse(json.Out).RootElement.GetProperty("LONG_NAME").GetString());
        Assert.Equal("it's here\n", get.Out);
        Assert.Equal((0, "\n"), (missing.ExitCode, missing.Out));
    }

    [Fact]
    public async Task ApiError_PrintsMessageAndErrorId()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/nope/config-vars", """{"id":"not_found","message":"Couldn't find that app."}""", 404);

        var result = await api.Cli.RunAsync("config", "-a", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("slipway: Couldn't find that app.\nError ID: not_found\n", result.Err.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_SaysHowToLogIn()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/config-vars", """{"id":"unauthorized","message":"Invalid credentials provided."}""", 401);

        var result = await api.Cli.RunAsync("config", "-a", "my-app");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("slipway: Invalid credentials. Run `slipway login`, or set SLIPWAY_API_KEY.", result.Err);
        Assert.Contains("Error ID: unauthorized", result.Err);
    }
}
