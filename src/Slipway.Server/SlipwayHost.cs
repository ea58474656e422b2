using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Api;
using Slipway.Build.Compile;
using Slipway.Build.Deploys;
using Slipway.Build.Slugs;
using Slipway.Core.Platform;
using Slipway.Dashboard;
using Slipway.Data;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Data.Dynos;
using Slipway.Data.Releases;
using Slipway.Router;
using Slipway.Router.Balancing;
using Slipway.Router.Routing;
using Slipway.Router.Tls;
using Slipway.Runtime.Dynos;
using Slipway.Runtime.Logs;
using Slipway.Runtime.Logs.Drains;
using Slipway.Runtime.Releases;
using Slipway.Runtime.Sandbox;
using Slipway.Storage.Engine;
using Slipway.Storage.Hosting;

namespace Slipway.Server;

/// <summary>The composition root: settings, services, the three listeners (API, router, storage) and start-up tasks.</summary>
public static class SlipwayHost
{
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // The content root is the binaries' directory, not the working directory: the host watches its content root,
        // subdirectories included, for configuration changes, and a data directory under the working directory (as
        // script/server makes) put an inotify watch on every dyno and slug directory. Slipway reads no files from it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddSlipwaySettings(args);
        var settings = builder.Configuration.GetSection("Slipway").Get<SlipwayOptions>() ?? new SlipwayOptions();
        settings.Validate();

        var data = new DataDirectory(Path.GetFullPath(settings.DataDir));
        Directory.CreateDirectory(data.Root);
        File.SetUnixFileMode(data.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var held = DataDirectoryLock.Acquire(data.Root);

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(settings.ApiPort);
            kestrel.ListenLocalhost(settings.RouterPort);
            if (settings.RouterTlsPort is { } tlsPort)
            {
                var certificate = settings.RouterCertificate is { } certificatePath
                    ? RouterCertificate.Load(certificatePath, settings.RouterCertificateKey!)
                    : RouterCertificate.SelfSigned(data.Root, settings.Domain, TimeProvider.System);
                kestrel.ListenLocalhost(tlsPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2; // HTTP/2 by ALPN
                    listen.UseHttps(certificate);
                });
            }

            kestrel.ListenLocalhost(settings.StoragePort);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = RouterLimits.ServerHeaderBytes;
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // YARP logs two Information lines per forwarded request to the console; the router writes its own line to the app's log.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // While this category is enabled at any level, hosting starts an Activity and a log scope for every request; it logs
        // only request starts and ends (unhandled exceptions are Kestrel's to log).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        builder.Services.AddSingleton(held); // released when the host is disposed, or by the kernel when the process dies
        AddServices(builder.Services, settings, data);
        builder.Services.AddSlipwayRouterTransport(settings.RouterPort);
        builder.Services.AddSlipwayStorageTransport(settings.StoragePort);
        var app = builder.Build();
        await PrepareAsync(app, settings, data);
        MapListeners(app, settings);
        return app;
    }

    private static void AddServices(IServiceCollection services, SlipwayOptions settings, DataDirectory data)
    {
        var (firstPort, lastPort) = settings.DynoPortRange();
        var apiUrl = $"http://localhost:{settings.ApiPort}";
        var storageUrl = $"http://localhost:{settings.StoragePort}";
        var apiOptions = new ApiOptions { ApiUrl = apiUrl, StorageUrl = storageUrl, Domain = settings.Domain, RouterPort = settings.RouterPort };

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(data);
        services.AddSingleton(apiOptions);
        services.AddSingleton(new SlipwayDatabase(data.Database));
        services.AddSingleton<AccountRepository>();
        services.AddSingleton<AppRepository>();
        services.AddSingleton<ReleaseRepository>();
        services.AddSingleton<BuildRepository>();
        services.AddSingleton<DynoRepository>();
        services.AddSingleton<Slipway.Data.Domains.DomainRepository>();
        services.AddSlipwayLogs(data);
        services.AddSlipwayStorage(data, LoadSecret(data), new StorageOptions
        {
            Hosts = ["localhost", "127.0.0.1", $"storage.{settings.Domain}"],
            AppEndpoint = settings.RouterPort == 80 ? $"http://storage.{settings.Domain}" : $"http://storage.{settings.Domain}:{settings.RouterPort}",
            DashboardOrigins = [apiUrl, $"http://127.0.0.1:{settings.ApiPort}"],
        });
        services.AddSingleton(sp => new UrlSigner(LoadSecret(data), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<ISandbox>(_ => settings.Isolation == "none"
            ? new UnisolatedSandbox()
            : new BubblewrapSandbox(new SandboxOptions
            {
                DataDirectory = data,
                InstanceId = InstanceId(data),
                UidBase = settings.UidBase,
                AllowedLocalPorts = [settings.RouterPort, settings.StoragePort, .. settings.RouterTlsPort is { } tls ? [tls] : Array.Empty<int>()],
                LoopbackHostNames = [$"storage.{settings.Domain}"],
            }));
        services.AddSingleton<IDynoBackend>(sp => new LocalDynoBackend(sp.GetRequiredService<ISandbox>(), data));
        services.AddSingleton<ISlugStore>(sp => new SlugStore(sp.GetRequiredService<IObjectStore>(), data));
        services.AddSingleton(new RuntimeOptions
        {
            BootTimeout = TimeSpan.FromSeconds(settings.BootTimeoutSeconds),
            StopGracePeriod = TimeSpan.FromSeconds(settings.StopGraceSeconds),
            CycleAfter = TimeSpan.FromSeconds(settings.CycleAfterSeconds),
            CycleJitter = TimeSpan.FromSeconds(settings.CycleJitterSeconds),
            FirstDynoPort = firstPort,
            LastDynoPort = lastPort,
            UidBase = settings.UidBase,
            Domain = settings.Domain,
        });
        services.AddSingleton<Slipway.Data.Quota.QuotaRepository>();
        services.AddSingleton(new Slipway.Runtime.Quota.QuotaOptions
        {
            IdleAfter = TimeSpan.FromSeconds(settings.IdleAfterSeconds),
            CheckpointInterval = TimeSpan.FromSeconds(settings.QuotaCheckpointSeconds),
            Pools = new Slipway.Core.Quota.QuotaPools
            {
                Free = TimeSpan.FromHours(settings.FreeQuotaHours),
                FreeVerified = TimeSpan.FromHours(settings.VerifiedQuotaHours),
                Eco = TimeSpan.FromHours(settings.EcoQuotaHours),
            },
        });
        services.AddSingleton<Slipway.Runtime.Quota.QuotaService>();
        services.TryAddSingleton<Slipway.Core.Metrics.DynoMetrics>();
        services.AddSingleton<DynoManager>();
        services.AddHostedService(sp => sp.GetRequiredService<DynoManager>());
        services.AddSingleton<ReleaseService>();

        services.AddHttpClient();
        services.AddSingleton<ISlugCompiler>(sp => new SlugCompiler(sp.GetRequiredService<ISandbox>(), sp.GetRequiredService<IObjectStore>(),
            new BuildOptions { BuildpacksDirectory = settings.BuildpacksDir ?? Path.Combine(AppContext.BaseDirectory, "buildpacks"), DataDirectory = data },
            sp.GetRequiredService<TimeProvider>()));
        var sourcePrefix = $"{storageUrl}/{PlatformBuckets.Sources}/";
        services.AddSingleton(new BuildRunnerOptions
        {
            UidBase = settings.UidBase,
            WebUrl = apiOptions.WebUrl,
            OwnSourceKey = url => url.StartsWith(sourcePrefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(url[sourcePrefix.Length..].Split('?')[0]) : null,
        });
        services.AddSingleton<BuildRunner>();
        services.AddSingleton<SlugCopier>();

        services.AddSlipwayRouter(new RouterOptions
        {
            Domain = settings.Domain,
            StoragePort = settings.StoragePort,
            RouterPort = settings.RouterPort,
            BootWait = TimeSpan.FromSeconds(Math.Max(75, settings.BootTimeoutSeconds + 15)),
            RequestTimeout = TimeSpan.FromSeconds(settings.RouterRequestTimeoutSeconds),
            IdleTimeout = TimeSpan.FromSeconds(settings.RouterIdleTimeoutSeconds),
        });
        services.AddRouting();
    }

    /// <summary>Before listening: migrate the store, sweep interrupted writes, fail interrupted builds, create the first account.</summary>
    private static async Task PrepareAsync(WebApplication app, SlipwayOptions settings, DataDirectory data)
    {
        var services = app.Services;
        await services.GetRequiredService<SlipwayDatabase>().MigrateAsync();
        File.SetUnixFileMode(data.Database, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await services.GetRequiredService<FileObjectStore>().SweepAsync();
        await services.GetRequiredService<BuildRepository>().FailInterruptedAsync();
        await services.GetRequiredService<ReleaseRepository>().FailInterruptedAsync();
        var sandbox = services.GetRequiredService<ISandbox>(); // fail at start, not at the first deploy, when the sandbox cannot work
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Slipway.Server");
        if (PortAllocator.EphemeralOverlap(settings.DynoPortRange().First, settings.DynoPortRange().Last) is { } overlap)
        {
            logger.LogWarning("{Warning}", overlap);
        }

        if (sandbox.Mode == IsolationMode.Sandbox && SandboxCapabilities.LandlockGaps() is { } gaps)
        {
            logger.LogWarning("{Warning}", gaps);
        }

        if (FileSystemJournal.MissingJournalWarning(data.Root) is { } journal)
        {
            logger.LogWarning("{Warning}", journal);
        }

        await FirstAccount.EnsureAsync(services.GetRequiredService<AccountRepository>(), settings);
    }

    private static void MapListeners(WebApplication app, SlipwayOptions settings)
    {
        var dynos = app.Services.GetRequiredService<DynoManager>();
        var drains = app.Services.GetRequiredService<LogDrains>();
        dynos.AppDeleted += drains.ForgetApp; // a deleted app's drains stop and its log history goes once its dynos are down
        dynos.AppDeleted += app.Services.GetRequiredService<Slipway.Core.Metrics.DynoMetrics>().Forget;
        dynos.AppDeleted += app.Services.GetRequiredService<Slipway.Core.Metrics.RouterMetrics>().Forget;
        dynos.AppDeleted += app.Services.GetRequiredService<InFlightRequests>().Forget;
        var router = app.Services.GetRequiredService<AppRouter>();
        app.MapWhen(c => c.Connection.LocalPort == settings.RouterPort || c.Connection.LocalPort == settings.RouterTlsPort, branch => branch.Run(router.RouteAsync));
        app.MapSlipwayStorage(settings.StoragePort);
        app.MapWhen(c => c.Connection.LocalPort == settings.ApiPort, branch => branch
            .MapSlipwayDashboard(new DashboardOptions { StorageOrigins = [app.Services.GetRequiredService<StorageOptions>().AppEndpoint] })
            .UsePlatformApi(() => dynos.Ready.IsCompletedSuccessfully));
    }

    /// <summary>The key that signs capability URLs, made once per data directory (mode 0600).</summary>
    private static byte[] LoadSecret(DataDirectory data)
    {
        var path = Path.Combine(data.Root, "secret.key");
        if (!File.Exists(path))
        {
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, RandomNumberGenerator.GetBytes(32));
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, path, overwrite: true);
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>Several slipwayd instances may share a machine (tests do): each names its cgroups and firewall table by its data dir.</summary>
    private static string InstanceId(DataDirectory data) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data.Root)))[..12];
}
