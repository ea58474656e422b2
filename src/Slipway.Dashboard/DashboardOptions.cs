namespace Slipway.Dashboard;

/// <summary>What the page may reach besides its own origin.</summary>
public sealed record DashboardOptions
{
    /// <summary>Object store endpoints the storage page signs requests for (listing, previews, uploads); allowed by the page's CSP.</summary>
    public IReadOnlyList<string> StorageOrigins { get; init; } = [];
}
