using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Slipway.Build.Compile;
using Slipway.Core.Platform;
using Slipway.Runtime.Sandbox;
using Slipway.Storage.Engine;

namespace Slipway.Build.Tests.TestSupport;

/// <summary>A data directory, object store and compiler around one sandbox; builds app directories and runs their slugs.</summary>
internal sealed partial class BuildHarness : IDisposable
{
    private readonly TempDirectory _temp = new();
    private int _builds;

    public BuildHarness(Func<DataDirectory, ISandbox> sandbox, Func<BuildOptions, BuildOptions>? configure = null, string? buildpacksDirectory = null)
    {
        Data = new DataDirectory(_temp.Combine("data"));
        Directory.CreateDirectory(Data.Root);
        File.SetUnixFileMode(Data.Root, (UnixFileMode)0b111_001_001);
        Objects = new FileObjectStore(Data.Objects);
        Sandbox = sandbox(Data);
        var options = new BuildOptions { BuildpacksDirectory = buildpacksDirectory ?? Repository.Buildpacks, DataDirectory = Data };
        Options = configure is null ? options : configure(options);
        Compiler = new SlugCompiler(Sandbox, Objects, Options);
    }

    /// <summary>An unprivileged uid: a sandbox-range uid under root, our own uid otherwise.</summary>
    public static int HostUid { get; } = geteuid() == 0 ? 200_777 : (int)geteuid();

    public static bool IsRoot => geteuid() == 0;

    public DataDirectory Data { get; }

    public FileObjectStore Objects { get; }

    public ISandbox Sandbox { get; }

    public BuildOptions Options { get; }

    public SlugCompiler Compiler { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public string Temp(params string[] parts) => _temp.Combine(parts);

    /// <summary>A new app directory in scratch space with the given files.</summary>
    public string App(params (string Path, string Content)[] files)
    {
        var app = _temp.Combine("apps", Guid.NewGuid().ToString("N"), "app");
        Directory.CreateDirectory(app);
        foreach (var (path, content) in files)
        {
            _temp.Write(Path.GetRelativePath(_temp.Path, Path.Combine(app, path)), content);
        }

        return app;
    }

    public Task<BuildResult> BuildAsync(string appDirectory, IReadOnlyList<string>? buildpacks = null, IReadOnlyDictionary<string, string>? configVars = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _builds);
        var archive = Archives.TarGzOfDirectory(appDirectory, _temp.Combine($"source-{n}.tgz"));
        var request = new BuildRequest
        {
            BuildId = $"b{n}-{Guid.NewGuid():N}"[..20],
            AppId = "app-1",
            AppName = "hello",
            HostUid = HostUid,
            SourceArchivePath = archive,
            SourceVersion = "0123456789abcdef0123456789abcdef01234567",
            Buildpacks = buildpacks ?? [],
            ConfigVars = configVars ?? new Dictionary<string, string>(),
        };
        return Compiler.CompileAsync(request, Output.Enqueue, cancellationToken);
    }

    /// <summary>Runs <paramref name="command"/> from the slug as a dyno would (after .profile.d) and returns GET / and GET /path bodies.</summary>
    public async Task<string> GetFromSlugAsync(string slugDirectory, string command, string path, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var app = new SandboxMount(slugDirectory, "/app", ReadOnly: true);
        var appInside = Sandbox.PathInside(app);
        var lines = new ConcurrentQueue<string>();
        var spec = new SandboxSpec
        {
            Id = "slugtest-" + Guid.NewGuid().ToString("N")[..12],
            Command = ["/bin/bash", "-c", "for f in .profile.d/*.sh; do [ -f \"$f\" ] && . \"$f\"; done; eval \"$0\"", command],
            Environment = new Dictionary<string, string>
            {
                ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["HOME"] = appInside,
                ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
                ["GREETING"] = "ahoy",
                ["DYNO"] = "web.1",
            },
            WorkingDirectory = appInside,
            Mounts = [app],
            HostUid = HostUid,
            MemoryLimitBytes = 512L * 1024 * 1024,
            PidsMax = 256,
            OnOutputLine = lines.Enqueue,
        };
        await using var process = await Sandbox.StartAsync(spec, cancellationToken);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        try
        {
            while (true)
            {
                try
                {
                    return await http.GetStringAsync($"http://127.0.0.1:{port}{path}", cancellationToken);
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.Exited.IsCompleted)
                {
                    await Task.Delay(100, cancellationToken);
                }
                catch (HttpRequestException e)
                {
                    throw new InvalidOperationException($"The slug's web process did not answer: {e.Message}\n{string.Join('\n', lines)}", e);
                }
            }
        }
        finally
        {
            process.Kill();
        }
    }

    public void Dispose()
    {
        (Sandbox as IDisposable)?.Dispose();
        _temp.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
