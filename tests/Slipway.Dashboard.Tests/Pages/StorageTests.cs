using System.Net.Http.Json;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

/// <summary>The storage page against a real add-on bucket: the browser signs S3 requests itself and the store answers with CORS.</summary>
public sealed class StorageTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    /// <summary>An 8×8 red PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGO4aaCKFTEMLQkArXtLgYoZLSQAAAAASUVORK5CYII=");

    [Fact]
    public async Task Storage_UploadAnImage_SeeItsPreview_ThenDeleteIt()
    {
        var app = await AppWithStorageAsync();
        var page = await SignedInPageAsync($"#/apps/{app}/storage");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^Bucket {app}-") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No objects here yet")).ToBeVisibleAsync();

        await page.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = Png });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Uploaded photo.png.");

        var row = page.Locator("tr[data-key='photo.png']");
        await Assertions.Expect(row).ToContainTextAsync("image/png");
        await Assertions.Expect(row).ToContainTextAsync($"{Png.Length} B");
        var preview = row.GetByRole(AriaRole.Img, new() { Name = "Preview of photo.png" });
        await Assertions.Expect(preview).ToBeVisibleAsync();
        // The image really loaded (a presigned GET the page's CSP allows), not just an <img> with a broken source.
        await Assertions.Expect(preview).ToHaveJSPropertyAsync("naturalWidth", 8);
        await ScreenshotAsync(page, "10-storage");
        var problems = await ViolationsAsync(page, "storage");
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete photo.png" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete photo.png" })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete photo.png" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Deleted photo.png.");
        await Assertions.Expect(page.GetByText("No objects here yet")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Storage_CancellingADelete_KeepsTheObject()
    {
        var app = await AppWithStorageAsync();
        var page = await SignedInPageAsync($"#/apps/{app}/storage");
        await page.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-key='notes.txt']");
        await Assertions.Expect(row).ToContainTextAsync("text/plain");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete notes.txt" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Delete notes.txt" })).ToBeFocusedAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tr[data-key='notes.txt']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Storage_UploadIntoAFolder_ThenNavigateFoldersByPrefix()
    {
        var app = await AppWithStorageAsync();
        var page = await SignedInPageAsync($"#/apps/{app}/storage");
        await Assertions.Expect(page.GetByText("No objects here yet")).ToBeVisibleAsync();

        await page.GetByLabel("Folder", new() { Exact = true }).FillAsync("/docs/2026/");
        await page.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "readme.txt", MimeType = "text/plain", Buffer = "read me"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Uploaded readme.txt to docs/2026/.");
        await Assertions.Expect(page.Locator("tr[data-key='docs/2026/readme.txt']")).ToContainTextAsync("readme.txt");

        var crumbs = page.GetByRole(AriaRole.Navigation, new() { Name = "Current folder" });
        await crumbs.GetByRole(AriaRole.Button).First.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Folder", new() { Exact = true })).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open folder docs/" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open folder 2026/" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-key='docs/2026/readme.txt']")).ToContainTextAsync("text/plain");
        await Assertions.Expect(crumbs).ToContainTextAsync("docs / 2026");
        await Assertions.Expect(page.GetByLabel("Folder", new() { Exact = true })).ToHaveValueAsync("docs/2026/");
    }

    [Fact]
    public async Task Storage_AFolderLeftBeforeItsListingCame_DoesNotReplaceTheFolderShownAfter()
    {
        var app = await AppWithStorageAsync();
        var page = await SignedInPageAsync($"#/apps/{app}/storage");
        await Assertions.Expect(page.GetByText("No objects here yet")).ToBeVisibleAsync();
        await page.GetByLabel("Folder", new() { Exact = true }).FillAsync("docs/");
        await page.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "readme.txt", MimeType = "text/plain", Buffer = "read me"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-key='docs/readme.txt']")).ToBeVisibleAsync();
        var crumbs = page.GetByRole(AriaRole.Navigation, new() { Name = "Current folder" });
        await crumbs.GetByRole(AriaRole.Button).First.ClickAsync();
        var openDocs = page.GetByRole(AriaRole.Button, new() { Name = "Open folder docs/" });
        await Assertions.Expect(openDocs).ToBeVisibleAsync();

        var docsListing = await HoldFirstRequestAsync(page, url => url.Contains("prefix=docs%2F", StringComparison.Ordinal));
        await openDocs.ClickAsync();
        await crumbs.GetByRole(AriaRole.Button).First.ClickAsync(); // back to the top before docs/ was listed
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToBeEmptyAsync();
        var released = page.WaitForResponseAsync(response => response.Url.Contains("prefix=docs%2F", StringComparison.Ordinal));
        docsListing.SetResult();
        await released;
        await page.WaitForTimeoutAsync(1000); // what the stale listing would draw, it draws right after its response

        await Assertions.Expect(openDocs).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-key='docs/readme.txt']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Folder", new() { Exact = true })).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Storage_ListsFiftyObjectsAPage_WithNextAndPreviousPages()
    {
        var app = await AppWithStorageAsync();
        var page = await SignedInPageAsync($"#/apps/{app}/storage");
        var files = Enumerable.Range(0, 55).Select(i => new FilePayload { Name = $"file-{i:00}.txt", MimeType = "text/plain", Buffer = [(byte)'x'] });
        await page.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(files);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Uploaded file-00.txt", new() { Timeout = 120_000 });

        var rows = page.Locator("tr[data-key]");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-key", "file-50.txt");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-key", "file-00.txt");
    }

    [Fact]
    public async Task Storage_WithoutTheAddon_SaysHowToAddIt()
    {
        var page = await SignedInPageAsync();
        var app = "bare-" + Guid.NewGuid().ToString("N")[..6];
        using (var http = Api())
        {
            (await http.PostAsJsonAsync("/apps", new { name = app })).EnsureSuccessStatusCode();
        }

        await page.EvaluateAsync("fragment => { location.hash = fragment; }", $"#/apps/{app}/storage");
        await Assertions.Expect(page.GetByText("This app has no storage add-on")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).Last).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Storage_OfAnotherAccountsApp_ShowsNoBucket()
    {
        var app = await AppWithStorageAsync();
        var email = $"stranger-{Guid.NewGuid().ToString("N")[..6]}@example.com";
        using (var http = Api())
        {
            using var created = await http.PostAsJsonAsync("/accounts", new { email, password = "correct horse battery" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var page = await NewPageAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No apps yet")).ToBeVisibleAsync();

        await page.EvaluateAsync("fragment => { location.hash = fragment; }", $"#/apps/{app}/storage");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Couldn't find that app");
        await Assertions.Expect(page.Locator("#bucket-heading")).ToHaveCountAsync(0);
    }

    /// <summary>A new app (no code needed) with the storage add-on, so that tests do not share a bucket.</summary>
    private async Task<string> AppWithStorageAsync()
    {
        var app = "store-" + Guid.NewGuid().ToString("N")[..6];
        using var http = Api();
        (await http.PostAsJsonAsync("/apps", new { name = app })).EnsureSuccessStatusCode();
        using var addon = await http.PostAsJsonAsync($"/apps/{app}/addons", new { plan = "storage" });
        Assert.True(addon.IsSuccessStatusCode, await addon.Content.ReadAsStringAsync());
        return app;
    }
}
