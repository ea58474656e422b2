using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Slipway.Storage.Hosting;

/// <summary>
/// Kestrel's socket transport for the storage port only, with request code run on the socket event thread instead of a
/// thread pool hop per read and write (the router's port does the same): a small GET then costs no context switch. The
/// S3 server keeps blocking work (SQLite, file opens, fsyncs) off these threads through <see cref="Engine.BlockingWork"/>;
/// whatever is not a plain object GET, HEAD or PUT moves to the thread pool before it is dispatched.
/// Its connections take their buffers from a pool of 64 KiB blocks (<see cref="LargeBlockMemoryPool"/>), not Kestrel's
/// 4 KiB ones, so a large body is received in 64 KiB calls.
/// </summary>
public sealed class StorageTransport(int port, ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Blocks each I/O queue's pool keeps for reuse: 4 MiB, enough for a few large bodies in flight.</summary>
    private const int RetainedBlocks = 64;

    private readonly SocketTransportFactory _sockets = new(TransportOptions(loggerFactory), loggerFactory);

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint ip && ip.Port == port;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        _sockets.BindAsync(endpoint, cancellationToken);

    /// <summary>
    /// The transport takes its memory pool factory from dependency injection only (the option is internal), so the
    /// options are made in a private container where Kestrel's own <c>UseSockets</c> sees the large-block factory.
    /// </summary>
    internal static IOptions<SocketTransportOptions> TransportOptions(ILoggerFactory loggerFactory)
    {
        var services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddSingleton<IMemoryPoolFactory<byte>>(new LargeBlockMemoryPoolFactory(LargeBlockMemoryPool.BlockSize, RetainedBlocks));
        new ServicesOnlyWebHostBuilder(services).UseSockets(options =>
        {
            options.UnsafePreferInlineScheduling = true;
            // An idle connection waits for data with a zero-byte read before it takes a 64 KiB block; a busy one
            // pays that extra call once per 64 KiB received.
            options.WaitForDataBeforeAllocatingBuffer = true;
        });
        using var provider = services.BuildServiceProvider();
        return Options.Create(provider.GetRequiredService<IOptions<SocketTransportOptions>>().Value);
    }

    /// <summary>Just enough of a web host builder for Kestrel's transport registration to add its services to ours.</summary>
    private sealed class ServicesOnlyWebHostBuilder(IServiceCollection services) : IWebHostBuilder
    {
#pragma warning disable ASPDEPR008 // the interface still declares Build(); nothing calls it
        public IWebHost Build() => throw new NotSupportedException();
#pragma warning restore ASPDEPR008

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) => throw new NotSupportedException();

        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) => throw new NotSupportedException();

        public string? GetSetting(string key) => null;

        public IWebHostBuilder UseSetting(string key, string? value) => throw new NotSupportedException();
    }
}
