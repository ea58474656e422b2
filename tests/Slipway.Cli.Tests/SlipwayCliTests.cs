using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests;

public class SlipwayCliTests
{
    [Fact]
    public async Task Version_PrintsAndExitsZero()
    {
        var result = await new CliRunner().RunAsync("--version");
        Assert.Equal((0, SlipwayCli.Version + "\n"), (result.ExitCode, result.Out));
    }

    [Fact]
    public async Task Help_ListsColonCommands()
    {
        var root = await new CliRunner().RunAsync("--help");
        var topic = await new CliRunner().RunAsync("help", "config:set");
        Assert.Equal(0, root.ExitCode);
        Assert.Contains("config:set", root.Out, StringComparison.Ordinal);
        Assert.Contains("ps:scale", root.Out, StringComparison.Ordinal);
        Assert.Equal(0, topic.ExitCode);
        Assert.Contains("slipway config:set", topic.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("help", "no-such-command")]
    [InlineData("releases", "-n", "many", "-a", "x")]
    [InlineData("ps:stop")]
    public async Task UsageErrors_ExitTwo(params string[] args)
    {
        var result = await new CliRunner().RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("slipway: ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableApi_ExitsOneWithAHint()
    {
        var cli = new CliRunner();
        cli.Environment["SLIPWAY_API_URL"] = "http://127.0.0.1:1";
        cli.Environment["SLIPWAY_API_KEY"] = "t";
        var result = await cli.RunAsync("apps");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SLIPWAY_API_URL", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminalOutput_StillCompletesActions()
    {
        await using var server = await TestApiServer.StartAsync();
        server.MapJson("PATCH", "/apps/my-app/config-vars", """{"FOO":"bar"}""");
        server.MapJson("GET", "/apps/my-app/releases", """[{"version":7}]""");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost
        {
            Out = output,
            Error = error,
            IsOutputTerminal = true,
            Environment = new Dictionary<string, string> { ["SLIPWAY_API_URL"] = server.Url, ["SLIPWAY_API_KEY"] = "t" },
        };

        var code = await SlipwayCli.InvokeAsync(["config:set", "FOO=bar", "-a", "my-app"], host, TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Contains("done", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("v7", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimpleOverload_UsesGivenEnvironmentOnly()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SlipwayCli.InvokeAsync(["auth:token"], output, error, new Dictionary<string, string> { ["SLIPWAY_API_KEY"] = "abc" }, ct: TestContext.Current.CancellationToken);
        Assert.Equal((0, "abc"), (code, output.ToString().Trim()));
    }
}
