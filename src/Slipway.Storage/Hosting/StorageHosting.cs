using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Slipway.Core.Platform;
using Slipway.Storage.Access;
using Slipway.Storage.Addons;
using Slipway.Storage.Engine;
using Slipway.Storage.S3;

namespace Slipway.Storage.Hosting;

/// <summary>Registers the object store (engine, access keys, add-on provisioning, S3 server) and serves it on its port.</summary>
public static class StorageHosting
{
    /// <param name="services">The container.</param>
    /// <param name="data">The data directory; the store lives in <see cref="DataDirectory.Objects"/>.</param>
    /// <param name="platformKey">The platform's secret key; access-key secrets are sealed with a key derived from it.</param>
    /// <param name="options">How the store presents itself.</param>
    public static IServiceCollection AddSlipwayStorage(this IServiceCollection services, DataDirectory data, byte[] platformKey, StorageOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new FileObjectStore(data.Objects, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IObjectStore>(sp => sp.GetRequiredService<FileObjectStore>());
        services.TryAddSingleton(new SecretSealer(platformKey));
        services.TryAddSingleton<AccessKeyStore>();
        services.TryAddSingleton<StorageAddons>();
        services.TryAddSingleton<S3Server>();
        services.AddHostedService<UploadJanitor>();
        return services;
    }

    /// <summary>Serves <paramref name="port"/> through <see cref="StorageTransport"/> (request code on the socket threads).</summary>
    public static IServiceCollection AddSlipwayStorageTransport(this IServiceCollection services, int port) =>
        services.AddSingleton<IConnectionListenerFactory>(sp => new StorageTransport(port, sp.GetRequiredService<ILoggerFactory>()));

    /// <summary>Serves the S3 API (and the platform's signed blob URLs) for requests that arrived on <paramref name="port"/>.</summary>
    public static IApplicationBuilder MapSlipwayStorage(this IApplicationBuilder app, int port) =>
        app.MapWhen(c => c.Connection.LocalPort == port, branch => branch.UseSlipwayStorage());

    /// <summary>Ends the pipeline in the S3 server.</summary>
    public static void UseSlipwayStorage(this IApplicationBuilder app)
    {
        var server = app.ApplicationServices.GetRequiredService<S3Server>();
        app.Run(server.HandleAsync);
    }
}
