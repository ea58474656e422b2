using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class KeyboardTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Keyboard_SignsInAndOpensAnAppsTabs_WithoutAMouse()
    {
        var page = await NewPageAsync();
        await Assertions.Expect(page.GetByLabel("Email", new() { Exact = true })).ToBeFocusedAsync();

        await page.GetByLabel("API token", new() { Exact = true }).FocusAsync();
        await page.Keyboard.TypeAsync(Server.Token);
        await page.Keyboard.PressAsync("Enter");
        var link = page.GetByRole(AriaRole.Link, new() { Name = App, Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();

        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = App, Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Activity" })).ToHaveAttributeAsync("aria-current", "page");
    }
}
