using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>A slipwayd whose router gives dynos 2 s to start answering (H12) and cuts 4 s of silence (H15).</summary>
public sealed class ShortTimeoutServer : SlipwayServer
{
    public const string Collection = "slipwayd with short router timeouts";

    public const int RequestTimeoutSeconds = 2;
    public const int IdleTimeoutSeconds = 4;

    protected override IEnumerable<string> ExtraArguments =>
        ["--router-request-timeout-seconds", $"{RequestTimeoutSeconds}", "--router-idle-timeout-seconds", $"{IdleTimeoutSeconds}"];

    private Task<string>? _probe;

    /// <summary>One probe app for the tests that only read from it, deployed once.</summary>
    public Task<string> SharedProbeAsync() => _probe ??= RouterTestSupport.DeployAsync(this, "probe", ProbeApp.Create());
}

[CollectionDefinition(ShortTimeoutServer.Collection)]
public sealed class ShortTimeoutServerCollection : ICollectionFixture<ShortTimeoutServer>;
