using Microsoft.Playwright;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Infrastructure;

/// <summary>One slipwayd with one deployed app, and one headless Debian chromium, shared by the dashboard tests.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public SlipwayServer Server { get; } = new();

    /// <summary>An app deployed from examples/node-hello and answering through the router.</summary>
    public string App { get; } = "dash-" + Guid.NewGuid().ToString("N")[..6];

    public IBrowser? Browser { get; private set; }

    /// <summary>Why slipwayd with a deployed app cannot run here, or null.</summary>
    public string? ServerSkipReason { get; } = SlipwayServer.CannotSandbox is { } reason ? $"The dyno sandbox cannot run on this machine: {reason}" : null;

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public string? BrowserSkipReason => ServerSkipReason
        ?? (File.Exists(Chromium) ? null : $"{Chromium} is missing: run script/bootstrap (it installs Debian's chromium).");

    public async ValueTask InitializeAsync()
    {
        if (ServerSkipReason is not null)
        {
            return;
        }

        await Server.InitializeAsync();
        var created = await Server.CliAsync("apps:create", App);
        Assert.True(created.ExitCode == 0, created.ToString());
        var deployed = await Server.CliAsync("deploy", Path.Combine(SlipwayServer.RepoRoot, "examples", "node-hello"), "-a", App);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.True((await Server.GetAppAsync(App)).Status == System.Net.HttpStatusCode.OK, "the deployed app did not answer");
        if (BrowserSkipReason is not null)
        {
            return;
        }

        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
