using System.Net.Http.Json;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class SignInTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task SignIn_WithToken_ShowsTheAccountsAppsAndKeepsTheTokenOutOfTheUrl()
    {
        var page = await NewPageAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Slipway" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "01-sign-in");

        await page.GetByLabel("API token", new() { Exact = true }).FillAsync(Server.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with token" }).ClickAsync();

        await Assertions.Expect(page.Locator($"tr[data-app='{App}']")).ToBeVisibleAsync();
        Assert.DoesNotContain(Server.Token, page.Url, StringComparison.Ordinal);
        Assert.Equal(Server.Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('slipway.token')"));
    }

    [Fact]
    public async Task SignIn_WithWrongToken_SaysSoAndStaysOnSignIn()
    {
        var page = await NewPageAsync();
        await page.GetByLabel("API token", new() { Exact = true }).FillAsync("not-a-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with token" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("This token is not valid");
        Assert.EndsWith("#/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithEmailAndPassword_SeesOnlyItsOwnApps()
    {
        var email = $"dev-{Guid.NewGuid().ToString("N")[..6]}@example.com";
        using (var http = Api())
        {
            using var created = await http.PostAsJsonAsync("/accounts", new { email, password = "correct horse battery" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var page = await NewPageAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Check the email and password");

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No apps yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync(email);
        await Assertions.Expect(page.Locator($"tr[data-app='{App}']")).ToHaveCountAsync(0);

        // Another account's app by URL: the API answers as if it did not exist.
        await page.EvaluateAsync("app => { location.hash = '#/apps/' + app; }", App);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Couldn't find that app");
    }
}
