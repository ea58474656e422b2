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

    [Fact]
    public async Task Keyboard_FocusSurvivesThePollThatRedrawsTheDynos()
    {
        var page = await SignedInPageAsync($"#/apps/{App}");
        var restart = page.GetByRole(AriaRole.Button, new() { Name = "Restart web.1" });
        await Assertions.Expect(restart).ToBeVisibleAsync();

        // Mark the row; the next poll replaces it with a fresh, unmarked one.
        await page.EvaluateAsync("() => { document.querySelector(\"tr[data-dyno='web.1']\").dataset.drawn = 'before'; }");
        await restart.FocusAsync();
        await Assertions.Expect(page.Locator("tr[data-drawn='before']")).ToHaveCountAsync(0);

        await Assertions.Expect(restart).ToBeFocusedAsync();
    }
}
