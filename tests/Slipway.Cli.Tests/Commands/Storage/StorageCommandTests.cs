using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Storage;

/// <summary>How the storage commands find their key, and the mistakes they catch before any S3 request.</summary>
public class StorageCommandTests
{
    [Fact]
    public async Task Ls_AppWithoutTheAddon_SaysHowToAddIt()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/config-vars", """{"FOO":"bar"}""");

        var result = await api.Cli.RunAsync("storage:ls", "-a", "my-app");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("my-app has no storage add-on. Add one with `slipway addons:create storage -a my-app`.", result.Err);
    }

    [Fact]
    public async Task Ls_NoAppAndNoKey_NamesBothWays()
    {
        await using var api = await ApiFixture.StartAsync();

        var result = await api.Cli.RunAsync("storage:ls");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Use -a APP", result.Err);
        Assert.Contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", result.Err);
    }

    [Fact]
    public async Task Ls_AccountKeyThatIsNotOurs_IsRefusedBeforeAnyS3Request()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/storage/keys", """[{"access_key_id":"SLPWOTHER","endpoint":"http://localhost:9000","region":"us-east-1"}]""");
        api.Cli.Environment["AWS_ACCESS_KEY_ID"] = "SLPWMINE";
        api.Cli.Environment["AWS_SECRET_ACCESS_KEY"] = "secret";

        var result = await api.Cli.RunAsync("storage:ls");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AWS_ACCESS_KEY_ID SLPWMINE is not one of your storage keys", result.Err);
    }

    [Fact]
    public async Task Ls_AccountKeyWithoutSecret_IsAUsageError()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Cli.Environment["AWS_ACCESS_KEY_ID"] = "SLPWMINE";

        var result = await api.Cli.RunAsync("storage:ls");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("AWS_SECRET_ACCESS_KEY is not", result.Err);
        Assert.Empty(api.Server.Requests);
    }

    [Theory]
    [InlineData("a.txt", "b.txt")]
    [InlineData("s3://b/a.txt", "s3://b/b.txt")]
    public async Task Cp_NeedsExactlyOneS3Side(string source, string target)
    {
        await using var api = await ApiFixture.StartAsync();

        var result = await api.Cli.RunAsync("storage:cp", source, target, "-a", "my-app");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("exactly one of SOURCE and TARGET must be s3://BUCKET/KEY", result.Err);
        Assert.Empty(api.Server.Requests);
    }

    [Fact]
    public async Task Rm_BucketWithoutKey_IsAUsageError()
    {
        await using var api = await ApiFixture.StartAsync();

        var result = await api.Cli.RunAsync("storage:rm", "s3://photos", "-a", "my-app");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("names no object", result.Err);
        Assert.Empty(api.Server.Requests);
    }
}
