using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Slipway.EndToEnd.Tests.Infrastructure;

/// <summary>One slipwayd for the suite: tests run one after another against it, each with its own apps.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<SlipwayServer>
{
    public const string Name = "slipwayd";
}

public abstract class EndToEndTest(SlipwayServer server)
{
    private static readonly string[] GlobalScope = ["global"];

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

    /// <summary>A new (non-admin) account, signed in with its password as the heroku CLI does: its email and API token.</summary>
    protected async Task<(string Email, string Token)> CreateAccountAsync(string password)
    {
        var email = $"{UniqueName("dev")}@example.com";
        var created = await Server.CliAsync("accounts:create", email, "--password", password);
        Assert.True(created.ExitCode == 0, created.ToString());
        using var login = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        login.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{password}")));
        using var authorization = await login.PostAsJsonAsync("/oauth/authorizations", new { scope = GlobalScope });
        Assert.Equal(HttpStatusCode.Created, authorization.StatusCode);
        return (email, (await authorization.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetProperty("token").GetString()!);
    }

    protected async Task<string> CreateAppAsync(string prefix)
    {
        var name = UniqueName(prefix);
        var created = await Server.CliAsync("apps:create", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        return name;
    }
}
