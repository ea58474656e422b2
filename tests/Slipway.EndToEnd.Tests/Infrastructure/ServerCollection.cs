using System.Net.Http.Headers;

namespace Slipway.EndToEnd.Tests.Infrastructure;

/// <summary>One slipwayd for the suite: tests run one after another against it, each with its own apps.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<SlipwayServer>
{
    public const string Name = "slipwayd";
}

public abstract class EndToEndTest(SlipwayServer server)
{
    protected SlipwayServer Server { get; } = server;

    protected static string Example(string name) => Path.Combine(SlipwayServer.RepoRoot, "examples", name);

    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>These tests run real sandboxed dynos: they need root, bubblewrap, nftables and cgroups.</summary>
    protected static void RequireSandbox()
    {
        if (SlipwayServer.CannotSandbox is { } reason)
        {
            Assert.Skip($"The dyno sandbox cannot run on this machine: {reason}");
        }
    }

    /// <summary>Runs <paramref name="run"/> until <paramref name="done"/> holds (at most about 20 s plus the runs), returning the last result.</summary>
    protected static async Task<CliResult> EventuallyAsync(Func<Task<CliResult>> run, Func<CliResult, bool> done)
    {
        var result = await run();
        for (var attempt = 0; attempt < 100 && !done(result); attempt++)
        {
            await Task.Delay(200);
            result = await run();
        }

        return result;
    }

    /// <summary>A Platform API client with <paramref name="token"/> (the admin's when null).</summary>
    protected HttpClient Api(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Server.Token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.heroku+json; version=3");
        return http;
    }

    protected async Task<string> CreateAppAsync(string prefix)
    {
        var name = UniqueName(prefix);
        var created = await Server.CliAsync("apps:create", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        return name;
    }
}
