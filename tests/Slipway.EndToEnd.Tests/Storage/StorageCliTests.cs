using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Storage;

/// <summary>
/// storage:ls/cp/rm against a real slipwayd, signing with an app's add-on key (through the router's storage host) or an
/// account key, and what deleting an app or its add-on does to the key and the bucket.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StorageCliTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Cp_UploadsAndDownloadsFiles_InPartsWhenLarge_AndLsAndRmSeeThem()
    {
        RequireSandbox();
        var (app, bucket) = await CreateAppWithStorageAsync("files");
        var local = Directory.CreateTempSubdirectory("slipway-storage-cli-").FullName;
        var big = Path.Combine(local, "video.bin");
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(21 * 1024 * 1024)); // past the SDK's 16 MiB multipart threshold
        var note = Path.Combine(local, "note.txt");
        await File.WriteAllTextAsync(note, "hello");

        await Must("storage:cp", big, $"s3://{bucket}/uploads/", "-a", app);
        await Must("storage:cp", note, $"s3://{bucket}/note.txt", "-a", app);

        var top = await Must("storage:ls", "-a", app);
        Assert.Contains("PRE  uploads/", top.Output);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  5\s+note\.txt", top.Output);
        Assert.Contains($"{21 * 1024 * 1024}  uploads/video.bin", (await Must("storage:ls", $"s3://{bucket}/uploads/", "-a", app)).Output);

        var back = Path.Combine(local, "back");
        Directory.CreateDirectory(back);
        await Must("storage:cp", $"s3://{bucket}/uploads/video.bin", back, "-a", app);
        Assert.Equal(await File.ReadAllBytesAsync(big), await File.ReadAllBytesAsync(Path.Combine(back, "video.bin")));

        await Must("storage:rm", $"s3://{bucket}/note.txt", "-a", app);
        var again = await Server.CliAsync("storage:rm", $"s3://{bucket}/note.txt", "-a", app);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no such object", again.Error);
        Assert.DoesNotContain("note.txt", (await Must("storage:ls", "-a", app)).Output);

        var both = await Server.CliAsync("storage:cp", note, Path.Combine(local, "copy.txt"), "-a", app);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exactly one of SOURCE and TARGET", both.Error);
    }

    [Fact]
    public async Task DeletingAnApp_RevokesItsKey_AndDeletesItsBucketOnlyWhenEmptyOrConfirmed()
    {
        RequireSandbox();
        var account = await AccountKeyAsync();
        var note = Path.Combine(Directory.CreateTempSubdirectory("slipway-storage-delete-").FullName, "note.txt");
        await File.WriteAllTextAsync(note, "keep me");

        // Deleted through the API without confirmation: the key dies, the bucket with an object stays with the account.
        var (kept, keptBucket) = await CreateAppWithStorageAsync("kept");
        await Must("storage:cp", note, $"s3://{keptBucket}/note.txt", "-a", kept);
        var appKey = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = await ConfigAsync(kept, "AWS_ACCESS_KEY_ID"),
            ["AWS_SECRET_ACCESS_KEY"] = await ConfigAsync(kept, "AWS_SECRET_ACCESS_KEY"),
            ["AWS_ENDPOINT_URL_S3"] = await ConfigAsync(kept, "AWS_ENDPOINT_URL_S3"),
        };
        using (var deleted = await DeleteAsync($"/apps/{kept}"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
            Assert.Contains(keptBucket, deleted.Headers.GetValues("Warning-Message").Single());
        }

        var revoked = await Server.CliWithEnvironmentAsync(appKey, "storage:ls", $"s3://{keptBucket}/");
        Assert.Equal(1, revoked.ExitCode);
        Assert.Contains("does not know access key", revoked.Error);
        Assert.Contains("note.txt", (await MustWith(account, "storage:ls", $"s3://{keptBucket}/")).Output);

        // An empty bucket goes with its app; so does a full one when the CLI's --confirm is given.
        var (empty, emptyBucket) = await CreateAppWithStorageAsync("empty");
        using (var deleted = await DeleteAsync($"/apps/{empty}"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        var (confirmed, confirmedBucket) = await CreateAppWithStorageAsync("confirmed");
        await Must("storage:cp", note, $"s3://{confirmedBucket}/note.txt", "-a", confirmed);
        await Must("apps:destroy", "-a", confirmed, "--confirm", confirmed);

        var buckets = (await MustWith(account, "storage:ls")).Output;
        Assert.Contains($"s3://{keptBucket}", buckets);
        Assert.DoesNotContain(emptyBucket, buckets);
        Assert.DoesNotContain(confirmedBucket, buckets);
        var gone = await Server.CliWithEnvironmentAsync(account, "storage:ls", $"s3://{confirmedBucket}/");
        Assert.Contains("no such bucket", gone.Error);
    }

    [Fact]
    public async Task AddonsDestroy_RemovesKeyAndConfigVars_AndTheBucketWithObjectsOnlyWhenConfirmed()
    {
        RequireSandbox();
        var account = await AccountKeyAsync();
        var note = Path.Combine(Directory.CreateTempSubdirectory("slipway-storage-destroy-").FullName, "note.txt");
        await File.WriteAllTextAsync(note, "data");
        var (app, bucket) = await CreateAppWithStorageAsync("detach");
        await Must("storage:cp", note, $"s3://{bucket}/note.txt", "-a", app);

        using (var unconfirmed = await DeleteAsync($"/apps/{app}/addons/storage"))
        {
            Assert.True(unconfirmed.IsSuccessStatusCode);
        }

        Assert.Contains("note.txt", (await MustWith(account, "storage:ls", $"s3://{bucket}/")).Output);
        Assert.DoesNotContain("AWS_ACCESS_KEY_ID", (await Must("config", "-a", app)).Output);

        var second = (await Must("addons:create", "storage", "-a", app, "--json")).Output;
        var secondBucket = JsonDocument.Parse(second).RootElement.GetProperty("provider_id").GetString()!;
        await Must("storage:cp", note, $"s3://{secondBucket}/note.txt", "-a", app);
        await Must("addons:destroy", "storage", "-a", app, "--confirm", app);
        Assert.DoesNotContain(secondBucket, (await MustWith(account, "storage:ls")).Output);
    }

    private async Task<(string App, string Bucket)> CreateAppWithStorageAsync(string prefix)
    {
        var app = await CreateAppAsync(prefix);
        await Must("addons:create", "storage", "-a", app);
        return (app, await ConfigAsync(app, "S3_BUCKET"));
    }

    /// <summary>An account-wide key, as a person would export it for the storage commands.</summary>
    private async Task<Dictionary<string, string>> AccountKeyAsync()
    {
        var created = JsonDocument.Parse((await Must("storage:keys:create", "--json")).Output).RootElement;
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = created.GetProperty("access_key_id").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = created.GetProperty("secret_access_key").GetString()!,
        };
    }

    private async Task<string> ConfigAsync(string app, string name) => (await Must("config:get", name, "-a", app)).Output.Trim();

    private async Task<HttpResponseMessage> DeleteAsync(string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, Server.ApiUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.heroku+json; version=3");
        return await http.SendAsync(request);
    }

    private async Task<CliResult> Must(params string[] args)
    {
        var result = await Server.CliAsync(args);
        Assert.True(result.ExitCode == 0, $"slipway {string.Join(' ', args)}: {result}");
        return result;
    }

    private async Task<CliResult> MustWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = await Server.CliWithEnvironmentAsync(environment, args);
        Assert.True(result.ExitCode == 0, $"slipway {string.Join(' ', args)}: {result}");
        return result;
    }
}
