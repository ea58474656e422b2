using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Runtime.Dynos;
using Slipway.Server;

namespace Slipway.Benchmarks.Runtime;

/// <summary>
/// The router's per-request lookup of an app's route (<see cref="DynoManager.FindRoute"/>), with 1 and 1,000 apps
/// registered: slipwayd's own composition root is booted in-process (temporary data dir, loopback ports, no dynos).
/// </summary>
[MemoryDiagnoser]
public class RouteLookupBenchmarks
{
    private string _dataDir = "";
    private WebApplication? _host;
    private DynoManager? _dynos;
    private string _target = "";

    [Params(1, 1000)]
    public int Apps { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("slipway-bench-routes-").FullName;
        _host = await SlipwayHost.BuildAsync([
            "--data-dir", _dataDir, "--isolation", "none",
            "--api-port", FreePort(), "--router-port", FreePort(), "--storage-port", FreePort()]);
        var owner = (await _host.Services.GetRequiredService<AccountRepository>().ListAsync())[0];
        var apps = _host.Services.GetRequiredService<AppRepository>();
        for (var i = 0; i < Apps; i++)
        {
            await apps.CreateAsync($"app-{i}", owner.Id);
        }

        _target = $"app-{Apps - 1}"; // the last one registered: the far end of any scan
        await _host.StartAsync();
        _dynos = _host.Services.GetRequiredService<DynoManager>();
        await _dynos.Ready;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    [Benchmark]
    public AppRoute? FindRoute() => _dynos!.FindRoute(_target);

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
