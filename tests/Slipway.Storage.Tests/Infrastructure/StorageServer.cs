using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Platform;
using Slipway.Storage.Access;
using Slipway.Storage.Addons;
using Slipway.Storage.Engine;
using Slipway.Storage.Hosting;

namespace Slipway.Storage.Tests.Infrastructure;

/// <summary>A real object store on a loopback port in its own data directory, driven by the AWS SDK; stopped on dispose.</summary>
public sealed class StorageServer : IAsyncDisposable
{
    public const string Account = "account-1";

    /// <summary>The origin the store treats as slipwayd's dashboard.</summary>
    public const string DashboardOrigin = "http://dashboard.test:5000";

    private readonly WebApplication _app;

    private StorageServer(WebApplication app, TempDirectory directory, string url, FakeTimeProvider time)
    {
        Time = time;
        _app = app;
        Directory = directory;
        Url = url;
    }

    public TempDirectory Directory { get; }

    /// <summary>The store's clock: the real time until a test advances it (the SDK signs with the real clock).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The store's base URL, <c>http://127.0.0.1:port</c>.</summary>
    public string Url { get; }

    public FileObjectStore Store => _app.Services.GetRequiredService<FileObjectStore>();

    public AccessKeyStore Keys => _app.Services.GetRequiredService<AccessKeyStore>();

    public StorageAddons Addons => _app.Services.GetRequiredService<StorageAddons>();

    public UrlSigner Signer => _app.Services.GetRequiredService<UrlSigner>();

    /// <param name="directory">The data directory (a new one by default).</param>
    /// <param name="socketThreads">Serve through <see cref="StorageTransport"/>, as slipwayd does: request code on the socket threads.</param>
    public static async Task<StorageServer> StartAsync(TempDirectory? directory = null, bool socketThreads = false)
    {
        directory ??= new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var key = RandomNumberGenerator.GetBytes(32);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        builder.Services.AddSingleton<TimeProvider>(time);
        var data = new DataDirectory(directory.Path);
        builder.Services.AddSlipwayStorage(data, key, new StorageOptions { Hosts = ["localhost", "127.0.0.1", "storage.test"], AppEndpoint = "http://storage.test:8080", DashboardOrigins = [DashboardOrigin] });
        builder.Services.AddSingleton(new UrlSigner(key, time));
        if (socketThreads)
        {
            builder.Services.AddSlipwayStorageTransport(0); // the port the listener above asks for
        }

        var app = builder.Build();
        app.UseSlipwayStorage();
        await app.Services.GetRequiredService<FileObjectStore>().SweepAsync();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StorageServer(app, directory, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal), time);
    }

    /// <summary>A new key of <see cref="Account"/> (account-wide unless <paramref name="bucket"/>) and an SDK client using it.</summary>
    public async Task<AmazonS3Client> ClientAsync(string? bucket = null, bool readOnly = false, string account = Account)
    {
        var key = await Keys.CreateAsync(account, bucket, readOnly, "test");
        return Client(key.Key.Id, key.Secret);
    }

    public AmazonS3Client Client(string accessKeyId, string secret, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = Url,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(accessKeyId, secret), config);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Dispose();
    }
}
