using Slipway.Build.Compile;
using Slipway.Build.Tests.TestSupport;
using Slipway.Runtime.Sandbox;
using Slipway.Storage.Engine;

namespace Slipway.Build.Tests.Compile;

/// <summary>The compiler with the repo's buildpacks (or small test buildpacks) through the unisolated sandbox.</summary>
public sealed class SlugCompilerTests : IDisposable
{
    private readonly BuildHarness _harness = new(_ => new UnisolatedSandbox());

    public void Dispose() => _harness.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string[]> Detection => new()
    {
        { "Node.js", ["package.json", "requirements.txt", "index.html", "Procfile"] },
        { "Python", ["requirements.txt", "index.html", "Procfile"] },
        { "Python", ["pyproject.toml", "Procfile"] },
        { "Python", ["setup.py"] },
        { "Python", ["Pipfile"] },
        { "Static HTML", ["index.html", "Procfile"] },
        { "Static HTML", ["public/index.html"] },
        { "Static HTML", ["static.json"] },
        { "Procfile", ["Procfile", "README.md"] },
    };

    [Theory]
    [MemberData(nameof(Detection))]
    public async Task Compile_DetectsTheFirstMatchingBuildpack(string expected, string[] files)
    {
        var app = _harness.App(files.Select(f => (f, Content(f))).ToArray());

        var result = await _harness.BuildAsync(app, cancellationToken: Token);

        Assert.Equal(expected, result.BuildpackDescription);
        Assert.Contains($"-----> {expected} app detected", _harness.Output);
    }

    [Fact]
    public async Task Compile_NothingDetected_FailsListingWhatWasLookedFor()
    {
        var app = _harness.App(("README.md", "hello"));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => _harness.BuildAsync(app, cancellationToken: Token));

        Assert.Contains("No default language could be detected for this app.", error.Message, StringComparison.Ordinal);
        Assert.Contains(" !     No default language could be detected for this app.", _harness.Output);
        Assert.Contains(_harness.Output, l => l.Contains("HINT: This occurs when", StringComparison.Ordinal));
        Assert.Contains(_harness.Output, l => l.Contains("package.json", StringComparison.Ordinal));
        Assert.Contains(_harness.Output, l => l.Contains("requirements.txt", StringComparison.Ordinal));
        Assert.False(Directory.Exists(_harness.Data.Builds) && Directory.EnumerateFileSystemEntries(_harness.Data.Builds, "*", new EnumerationOptions { AttributesToSkip = 0 }).Any());
    }

    [Fact]
    public async Task Compile_SlugIgnore_RemovesFilesBeforeTheBuild()
    {
        var app = _harness.App(("Procfile", "web: ./run\n"), (".slugignore", "*.log\n/docs\nfixtures/\n"),
            ("run", "x"), ("debug.log", "x"), ("docs/guide.md", "x"), ("src/docs/keep.md", "x"), ("test/fixtures/big.bin", "x"));

        var result = await _harness.BuildAsync(app, cancellationToken: Token);

        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, "run")));
        Assert.True(File.Exists(Path.Combine(result.SlugDirectory, "src", "docs", "keep.md")));
        Assert.False(File.Exists(Path.Combine(result.SlugDirectory, "debug.log")));
        Assert.False(Directory.Exists(Path.Combine(result.SlugDirectory, "docs")));
        Assert.False(Directory.Exists(Path.Combine(result.SlugDirectory, "test", "fixtures")));
        Assert.Contains("       Removed 3 entries", _harness.Output);
    }

    [Theory]
    [InlineData("web node server.js\n", "Procfile line 1 is not of the form `type: command`")]
    [InlineData("web: a\nweb: b\n", "declares process type `web` a second time")]
    public async Task Compile_MalformedProcfile_FailsWithTheProcfileError(string procfile, string expected)
    {
        var app = _harness.App(("Procfile", procfile), ("index.html", "<p>hi</p>"));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => _harness.BuildAsync(app, cancellationToken: Token));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(_harness.Output, l => l.StartsWith(" !     ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(" !     Push failed", _harness.Output);
    }

    [Fact]
    public async Task Compile_ProcfileAndBuildpackDefaults_AreMergedProcfileFirst()
    {
        var app = _harness.App(("Procfile", "worker: node worker.js\nweb: node server.js\n"),
            ("package.json", """{"name":"x","scripts":{"start":"node server.js"}}"""), ("server.js", ""), ("worker.js", ""));

        var result = await _harness.BuildAsync(app, cancellationToken: Token);

        Assert.Equal([new("worker", "node worker.js"), new("web", "node server.js")], result.ProcessTypes);
        Assert.Contains("       Procfile declares types -> worker, web", _harness.Output);
        Assert.Contains("       Default types for buildpack -> web", _harness.Output);
    }

    [Fact]
    public async Task Compile_SlugOverTheLimit_FailsWithHerokusMessage()
    {
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), o => o with { MaxSlugBytes = 64 * 1024, SoftSlugBytes = 32 * 1024 });
        using var _ = harness;
        var app = harness.App(("Procfile", "web: ./run\n"));
        File.WriteAllBytes(Path.Combine(app, "noise.bin"), RandomBytes(200 * 1024));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => harness.BuildAsync(app, cancellationToken: Token));

        Assert.Contains("is too large (max is 64K)", error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.Output, l => l.StartsWith(" !     Compiled slug size: 0.2M is too large (max is 64K).", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(harness.Data.Builds, "*", new EnumerationOptions { AttributesToSkip = 0 }));
        Assert.False(Directory.Exists(harness.Data.Slugs) && Directory.EnumerateFileSystemEntries(harness.Data.Slugs, "*", new EnumerationOptions { AttributesToSkip = 0 }).Any());
    }

    [Fact]
    public async Task Compile_SlugOverTheSoftLimit_Warns()
    {
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), o => o with { SoftSlugBytes = 64 * 1024 });
        using var _ = harness;
        var app = harness.App(("Procfile", "web: ./run\n"));
        File.WriteAllBytes(Path.Combine(app, "noise.bin"), RandomBytes(200 * 1024));

        await harness.BuildAsync(app, cancellationToken: Token);

        Assert.Contains(harness.Output, l => l.Contains("exceeds our soft limit (64K) which may affect boot time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compile_UnsafeSource_FailsNamingTheEntry()
    {
        var archive = new TarBuilder().File("Procfile", "web: x\n").Symlink("etc", "/etc").WriteTarGz(_harness.Temp("evil.tgz"));
        var request = new BuildRequest { BuildId = "evil", AppId = "app-1", AppName = "x", HostUid = BuildHarness.HostUid, SourceArchivePath = archive };

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => _harness.Compiler.CompileAsync(request, _harness.Output.Enqueue, Token));

        Assert.Contains("Refused archive entry 'etc'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_harness.Data.Builds, "evil")));
    }

    [Fact]
    public async Task Compile_RequestedBuildpackThatDoesNotDetect_Fails()
    {
        var app = _harness.App(("index.html", "<p>hi</p>"));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => _harness.BuildAsync(app, ["heroku/nodejs"], cancellationToken: Token));

        Assert.Contains("App not compatible with buildpack: heroku/nodejs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compile_RequestedBuildpacks_RunInOrderAndSeeEarlierExports()
    {
        using var buildpacks = TestBuildpacks();
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), buildpacksDirectory: buildpacks.Path);
        using var _ = harness;
        var app = harness.App(("marker", "x"));

        var result = await harness.BuildAsync(app, ["first", "second"], new Dictionary<string, string> { ["GREETING"] = "hello there" }, Token);

        Assert.Equal(["first", "second"], result.Buildpacks);
        Assert.Equal("Second", result.BuildpackDescription);
        Assert.Contains("-----> First app detected", harness.Output);
        Assert.Contains("-----> Second app detected", harness.Output);
        Assert.Contains("       first sees GREETING=hello there STACK=heroku-24 SOURCE_VERSION=0123456789abcdef0123456789abcdef01234567", harness.Output);
        Assert.Contains("       second sees FROM_FIRST=exported", harness.Output);
        Assert.Contains("       second sees no SLIPWAY_TEST_LEAK", harness.Output);
        Assert.Equal([new("web", "./second"), new("worker", "./first-worker")], result.ProcessTypes.OrderBy(t => t.Key));
    }

    [Fact]
    public async Task Compile_FailingCompile_RejectsThePushAndCleansUp()
    {
        using var buildpacks = TestBuildpacks();
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), buildpacksDirectory: buildpacks.Path);
        using var _ = harness;
        var app = harness.App(("fail", "x"));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => harness.BuildAsync(app, ["first"], cancellationToken: Token));

        Assert.Equal("Push rejected, failed to compile First app.", error.Message);
        Assert.Contains("       failing as asked", harness.Output);
        Assert.Contains(" !     Push rejected, failed to compile First app.", harness.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(harness.Data.Builds, "*", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public async Task Compile_Timeout_KillsTheStepAndFails()
    {
        using var buildpacks = TestBuildpacks();
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), o => o with { Timeout = TimeSpan.FromSeconds(2) }, buildpacks.Path);
        using var _ = harness;
        var app = harness.App(("hang", "x"));

        var error = await Assert.ThrowsAsync<BuildFailedException>(() => harness.BuildAsync(app, ["first"], cancellationToken: Token));

        Assert.Contains("Timed out compiling First app", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(harness.Data.Builds, "*", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public async Task Compile_CallerCancels_Throws()
    {
        using var buildpacks = TestBuildpacks();
        var harness = new BuildHarness(_ => new UnisolatedSandbox(), buildpacksDirectory: buildpacks.Path);
        using var _ = harness;
        var app = harness.App(("hang", "x"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var build = harness.BuildAsync(app, ["first"], cancellationToken: cancel.Token);
        while (!harness.Output.Contains("       hanging"))
        {
            await Task.Delay(50, Token);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
    }

    [Fact]
    public async Task Compile_StoresTheSlugAndKeepsItUnpacked()
    {
        var app = _harness.App(("Procfile", "web: ./run\n"), ("run", "#!/bin/sh\necho hi\n"));
        File.SetUnixFileMode(Path.Combine(app, "run"), (UnixFileMode)0b111_101_101);

        var result = await _harness.BuildAsync(app, cancellationToken: Token);

        Assert.Equal(_harness.Data.Slug(result.SlugId), result.SlugDirectory);
        Assert.True(File.GetUnixFileMode(Path.Combine(result.SlugDirectory, "run")).HasFlag(UnixFileMode.UserExecute));
        var stored = await _harness.Objects.HeadAsync(PlatformBuckets.Slugs, result.SlugId + ".tgz", Token);
        Assert.NotNull(stored);
        Assert.Equal(result.SlugSize, stored.Size);
        Assert.StartsWith("SHA256:", result.SlugChecksum, StringComparison.Ordinal);
        Assert.Equal(["-----> Building on the Heroku-24 stack", "-----> Procfile app detected"], _harness.Output.Take(2));
        Assert.Contains("-----> Compressing...", _harness.Output);
        Assert.Contains(_harness.Output, l => l.StartsWith("       Done: ", StringComparison.Ordinal));
    }

    private static string Content(string file) => file switch
    {
        "package.json" => """{"name":"x","scripts":{"start":"node server.js"}}""",
        "Procfile" => "web: ./run\n",
        "static.json" => "{}",
        "pyproject.toml" => "[project]\nname = \"x\"\n",
        _ => "",
    };

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Two tiny buildpacks that show what a buildpack sees: env, ENV_DIR, earlier exports.</summary>
    private static TempDirectory TestBuildpacks()
    {
        var dir = new TempDirectory();
        Environment.SetEnvironmentVariable("SLIPWAY_TEST_LEAK", "leaked");
        Write(dir, "first/bin/detect", "echo First");
        Write(dir, "first/bin/compile", """
            [ -f "$1/fail" ] && { echo "       failing as asked"; exit 3; }
            [ -f "$1/hang" ] && { echo "       hanging"; sleep 300; }
            echo "       first sees GREETING=$(cat "$3/GREETING") STACK=$STACK SOURCE_VERSION=$SOURCE_VERSION"
            echo 'export FROM_FIRST=exported' > "$(dirname "$0")/../export"
            """);
        Write(dir, "first/bin/release", "printf -- '---\\ndefault_process_types:\\n  web: ./first\\n  worker: ./first-worker\\n'");
        Write(dir, "second/bin/detect", "echo Second");
        Write(dir, "second/bin/compile", """
            echo "       second sees FROM_FIRST=$FROM_FIRST"
            [ -z "${SLIPWAY_TEST_LEAK:-}" ] && echo "       second sees no SLIPWAY_TEST_LEAK"
            exit 0
            """);
        Write(dir, "second/bin/release", "printf -- '---\\ndefault_process_types:\\n  web: ./second\\n'");
        return dir;
    }

    private static void Write(TempDirectory dir, string path, string body)
    {
        var full = dir.Write(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
    }
}
