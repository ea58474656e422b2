namespace Slipway.Runtime.Dynos;

/// <summary>What the router needs to know about an app at one instant.</summary>
public sealed record AppRoute(string AppId, string AppName, bool Maintenance, IReadOnlyList<DynoEndpoint> UpWebDynos, int DesiredWebDynos, bool WebStarting, bool WebCrashed)
{
    /// <summary>Its free web dynos are asleep: a request wakes them.</summary>
    public bool Sleeping { get; init; }

    /// <summary>No code has been released to the app yet (Heroku's H81 "Blank app").</summary>
    public bool Blank { get; init; }

    /// <summary>The owner's page for router errors (config var <c>ERROR_PAGE_URL</c>), shown instead of the built-in one.</summary>
    public string? ErrorPageUrl { get; init; }

    /// <summary>The owner's page for maintenance mode (config var <c>MAINTENANCE_PAGE_URL</c>).</summary>
    public string? MaintenancePageUrl { get; init; }

    /// <summary>The owner's dyno-hour pool is used up this month (H82).</summary>
    public bool QuotaExhausted { get; init; }
}

/// <summary>A web dyno that accepts connections on 127.0.0.1:<see cref="Port"/>.</summary>
public sealed record DynoEndpoint(string DynoId, string Name, int Port)
{
    /// <summary>The forwarding destination, made once rather than per request.</summary>
    public string Url { get; } = $"http://127.0.0.1:{Port}/";
}
