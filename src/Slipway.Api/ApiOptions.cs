namespace Slipway.Api;

/// <summary>How slipwayd is reached from outside, for the URLs the API hands out.</summary>
public sealed record ApiOptions
{
    /// <summary>The Platform API (and git) base URL, e.g. <c>http://localhost:5000</c>.</summary>
    public required string ApiUrl { get; init; }

    /// <summary>The object store's base URL, e.g. <c>http://localhost:9000</c>.</summary>
    public required string StorageUrl { get; init; }

    /// <summary>The router domain: apps live at <c>{app}.{Domain}</c>.</summary>
    public required string Domain { get; init; }

    public required int RouterPort { get; init; }

    public string Stack { get; init; } = "heroku-24";

    public string WebUrl(string app) => RouterPort == 80 ? $"http://{app}.{Domain}/" : $"http://{app}.{Domain}:{RouterPort}/";

    public string GitUrl(string app) => $"{ApiUrl.TrimEnd('/')}/{app}.git";
}
