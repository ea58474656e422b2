using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class QuotaTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Quota_ShowsThePoolUsedAndRemaining()
    {
        var page = await SignedInPageAsync("#/quota");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quota", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".quota-figure")).ToContainTextAsync("used of 550.0 h this month");
        await Assertions.Expect(page.GetByText("Burn rate")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "07-quota");
    }
}
