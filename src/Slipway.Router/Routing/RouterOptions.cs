namespace Slipway.Router.Routing;

public sealed record RouterOptions
{
    /// <summary>Apps are served at <c>{app}.{Domain}</c>.</summary>
    public required string Domain { get; init; }

    /// <summary>The router's own port: owners' error pages may be fetched from this machine only through it.</summary>
    public int? RouterPort { get; init; }

    /// <summary>How long a request waits for a starting web dyno before H20 (Heroku: 75 s).</summary>
    public TimeSpan BootWait { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>The object store's port: <c>storage.{Domain}</c> is forwarded there (dynos may reach only the router port).</summary>
    public int? StoragePort { get; init; }

    /// <summary>H12: the dyno must send the first response byte within this time after the request reached it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>H15: once a response has begun, this much silence either way ends it. WebSockets are exempt.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(55);

    /// <summary>H19: a dyno must accept the connection within this time, or another dyno is tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
