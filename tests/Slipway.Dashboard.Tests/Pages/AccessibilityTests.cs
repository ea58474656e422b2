using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

/// <summary>axe-core's WCAG rules on every page, signed out and signed in, on a phone-sized screen too.</summary>
public sealed class AccessibilityTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalAccessibilityViolations()
    {
        var page = await NewPageAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Slipway" })).ToBeVisibleAsync();
        var problems = await ViolationsAsync(page, "sign-in");

        page = await SignedInPageAsync(width: 390, height: 844);
        foreach (var (fragment, ready) in new[]
        {
            ("#/apps", $"tr[data-app='{App}']"),
            ($"#/apps/{App}", "tr[data-dyno]"),
            ($"#/apps/{App}/activity", "li[data-release]"),
            ($"#/apps/{App}/settings", "tr[data-key], #domains-heading"),
            ($"#/apps/{App}/logs", ".log-line"),
            ($"#/apps/{App}/metrics", "#memory-heading"),
            ($"#/apps/{App}/storage", ".empty, #bucket-heading"),
            ("#/quota", ".quota-figure"),
        })
        {
            await page.EvaluateAsync("fragment => { location.hash = fragment; }", fragment);
            await Assertions.Expect(page.Locator(ready).First).ToBeVisibleAsync();
            problems.AddRange(await ViolationsAsync(page, fragment));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
