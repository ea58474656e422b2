using Slipway.Build.Compile;
using Slipway.Build.Slugs;
using Slipway.Build.Tests.TestSupport;
using Slipway.Storage.Engine;

namespace Slipway.Build.Tests.Compile;

/// <summary>Builds the repo's examples with the real buildpacks and checks the output, process types, slug and running app.</summary>
internal static class ExampleBuilds
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task NodeHelloAsync(BuildHarness harness)
    {
        var result = await harness.BuildAsync(Repository.Example("node-hello"), cancellationToken: Token);

        Assert.Equal("Node.js", result.BuildpackDescription);
        Assert.Equal(["nodejs"], result.Buildpacks);
        Assert.Equal([new("web", "node server.js")], result.ProcessTypes);
        AssertOutput(harness, "-----> Node.js app detected", "       Procfile declares types -> web", "       Default types for buildpack -> web");
        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, "server.js")));
        Assert.Contains("node_modules/.bin", File.ReadAllText(Path.Combine(result.SlugDirectory, ".profile.d", "nodejs.sh")), StringComparison.Ordinal);
        await AssertStoredAsync(harness, result);
        Assert.Equal("Hello from Slipway! GREETING=ahoy\n", await harness.GetFromSlugAsync(result.SlugDirectory, "node server.js", "/", Token));
        Assert.Contains("\"DYNO\":\"web.1\"", await harness.GetFromSlugAsync(result.SlugDirectory, "npm start", "/env", Token), StringComparison.Ordinal);
    }

    public static async Task PythonHelloAsync(BuildHarness harness)
    {
        var result = await harness.BuildAsync(Repository.Example("python-hello"), cancellationToken: Token);

        Assert.Equal("Python", result.BuildpackDescription);
        Assert.Equal([new("web", "python3 app.py")], result.ProcessTypes);
        AssertOutput(harness, "-----> Python app detected", "-----> Creating virtualenv .venv", "       Procfile declares types -> web");
        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, ".venv", "pyvenv.cfg")));
        await AssertStoredAsync(harness, result);
        var env = await harness.GetFromSlugAsync(result.SlugDirectory, "python3 app.py", "/env", Token);
        Assert.Contains("\"GREETING\": \"ahoy\"", env, StringComparison.Ordinal);
        Assert.Contains("/.venv\"", env, StringComparison.Ordinal); // VIRTUAL_ENV from .profile.d
    }

    public static async Task StaticSiteAsync(BuildHarness harness)
    {
        var result = await harness.BuildAsync(Repository.Example("static-site"), cancellationToken: Token);

        Assert.Equal("Static HTML", result.BuildpackDescription);
        Assert.Equal([new("web", "node .slipway/static-server.js")], result.ProcessTypes);
        AssertOutput(harness, "-----> Static HTML app detected", "-----> Installing the static file server", "       Default types for buildpack -> web");
        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, ".slipway", "static-server.js")));
        await AssertStoredAsync(harness, result);
        Assert.Contains("<h1>Hello from Slipway!</h1>", await harness.GetFromSlugAsync(result.SlugDirectory, result.ProcessTypes[0].Value, "/", Token), StringComparison.Ordinal);
        Assert.Contains("font-family", await harness.GetFromSlugAsync(result.SlugDirectory, result.ProcessTypes[0].Value, "/style.css", Token), StringComparison.Ordinal);
    }

    public static async Task DotnetHelloAsync(BuildHarness harness)
    {
        var result = await harness.BuildAsync(Repository.Example("dotnet-hello"), cancellationToken: Token);

        Assert.Equal(".NET", result.BuildpackDescription);
        Assert.Equal([new("web", "cd .slipway/publish && dotnet dotnet-hello.dll")], result.ProcessTypes);
        AssertOutput(harness, "-----> .NET app detected", "       Default types for buildpack -> web");
        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, ".slipway", "publish", "dotnet-hello.dll")));
        Assert.False(Directory.Exists(Path.Combine(result.SlugDirectory, "obj")));
        await AssertStoredAsync(harness, result);
        Assert.Equal("Hello from Slipway! GREETING=ahoy\n", await harness.GetFromSlugAsync(result.SlugDirectory, result.ProcessTypes[0].Value, "/", Token));
    }

    private static void AssertOutput(BuildHarness harness, params string[] lines)
    {
        var output = harness.Output.ToList();
        Assert.Equal("-----> Building on the Heroku-24 stack", output[0]);
        foreach (var line in lines)
        {
            Assert.Contains(line, output);
        }

        Assert.Contains("-----> Discovering process types", output);
        Assert.Contains("-----> Compressing...", output);
        Assert.Matches(@"^       Done: \d+(\.\d)?[KM]$", output.Last());
    }

    /// <summary>The stored slug matches the result and unpacks (through the slug store) to the same tree.</summary>
    private static async Task AssertStoredAsync(BuildHarness harness, BuildResult result)
    {
        var stored = await harness.Objects.HeadAsync(PlatformBuckets.Slugs, result.SlugId + ".tgz", Token);
        Assert.NotNull(stored);
        Assert.Equal(result.SlugSize, stored.Size);

        var elsewhere = new Core.Platform.DataDirectory(harness.Temp("elsewhere"));
        Directory.CreateDirectory(elsewhere.Root);
        var unpacked = await new SlugStore(harness.Objects, elsewhere).GetSlugDirectoryAsync(result.SlugId, BuildHarness.HostUid, Token);
        var expected = Listing(result.SlugDirectory);
        Assert.Equal(expected, Listing(unpacked));
    }

    private static List<string> Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToList();
}
