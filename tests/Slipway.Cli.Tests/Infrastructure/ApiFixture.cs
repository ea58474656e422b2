namespace Slipway.Cli.Tests.Infrastructure;

/// <summary>A fresh API server and a CLI pointed at it with a token, per test.</summary>
public sealed class ApiFixture : IAsyncDisposable
{
    private ApiFixture(TestApiServer server, CliRunner cli)
    {
        Server = server;
        Cli = cli;
    }

    public TestApiServer Server { get; }

    public CliRunner Cli { get; }

    public static async Task<ApiFixture> StartAsync(string token = "test-token")
    {
        var server = await TestApiServer.StartAsync();
        var cli = new CliRunner();
        cli.Environment["SLIPWAY_API_URL"] = server.Url;
        cli.Environment["SLIPWAY_API_KEY"] = token;
        return new ApiFixture(server, cli);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
