using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class AppsTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Apps_ListsTheDeployedAppAsUp_WithItsReleaseUrlAndTier()
    {
        var page = await SignedInPageAsync();
        var row = page.Locator($"tr[data-app='{App}']");

        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("up");
        await Assertions.Expect(row).ToContainTextAsync(new Regex(@"v\d+ \d+[smhd] ago"));
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = $"http://{App}.localhost:{Server.RouterPort}/" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "02-apps");

        // Readable on a phone: the same list in a narrow viewport.
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(row).ToBeVisibleAsync();
        await ScreenshotAsync(page, "02-apps-phone");
    }
}
