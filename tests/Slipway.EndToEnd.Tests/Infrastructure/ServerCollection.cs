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

    protected async Task<string> CreateAppAsync(string prefix)
    {
        var name = UniqueName(prefix);
        var created = await Server.CliAsync("apps:create", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        return name;
    }
}
