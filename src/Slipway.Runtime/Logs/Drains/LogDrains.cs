using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Slipway.Core.Errors;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs.Drains;

/// <summary>The apps' log drains: stored in the state database, each forwarded by its own worker from start-up until removed.</summary>
public sealed class LogDrains(
    LogDrainRepository repository, AppLogBuffer buffer, IOptions<LogOptions> options, TimeProvider time, ILogger<LogDrains> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DrainWorker> _workers = new(StringComparer.Ordinal);
    private readonly Lazy<HttpClient> _http = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>Adds a drain after checking its URL: <c>syslog://host:port</c>, <c>syslog+tls://host:port</c>, <c>https://…</c> or <c>http://…</c>.</summary>
    public async Task<LogDrainRecord> AddAsync(string appId, string? url, CancellationToken cancellationToken = default)
    {
        var drain = await repository.AddAsync(appId, Validate(url), cancellationToken);
        Start(drain);
        return drain;
    }

    public Task<IReadOnlyList<LogDrainRecord>> ListAsync(string appId, CancellationToken cancellationToken = default) =>
        repository.ListAsync(appId, cancellationToken);

    public Task<LogDrainRecord?> FindAsync(string appId, string idTokenOrUrl, CancellationToken cancellationToken = default) =>
        repository.FindAsync(appId, idTokenOrUrl, cancellationToken);

    /// <summary>Lines the drain has lost since slipwayd started (null when it is not running).</summary>
    public long? Dropped(string drainId) => _workers.TryGetValue(drainId, out var worker) ? worker.Dropped : null;

    /// <summary>Removes a drain by id, token or URL; null when the app has no such drain.</summary>
    public async Task<LogDrainRecord?> RemoveAsync(string appId, string idTokenOrUrl, CancellationToken cancellationToken = default)
    {
        var drain = await repository.FindAsync(appId, idTokenOrUrl, cancellationToken);
        if (drain is null || !await repository.DeleteAsync(drain.Id, cancellationToken))
        {
            return null;
        }

        if (_workers.TryRemove(drain.Id, out var worker))
        {
            await worker.DisposeAsync();
        }

        return drain;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var drain in await repository.ListAsync(null, cancellationToken))
        {
            Start(drain);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _workers.Keys)
        {
            if (_workers.TryRemove(id, out var worker))
            {
                await worker.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }

    /// <summary>The URL as it will be stored, or a 422 that says what a drain URL looks like.</summary>
    public static string Validate(string? url)
    {
        const string Expected = "Use syslog://host:port, syslog+tls://host:port, https://host/path or http://host/path.";
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw PlatformException.Invalid($"Url is invalid: '{url}'. {Expected}");
        }

        return uri.Scheme switch
        {
            "syslog" or "syslog+tls" when uri.IsDefaultPort || uri.Port <= 0 => throw PlatformException.Invalid($"Url {url} needs a port. {Expected}"),
            "syslog" or "syslog+tls" or "https" or "http" => url.Trim(),
            _ => throw PlatformException.Invalid($"Url scheme '{uri.Scheme}' is not supported. {Expected}"),
        };
    }

    /// <summary>A deleted app's drains were deleted with it (cascade): stop their workers, then drop its log history.</summary>
    public void ForgetApp(string appId)
    {
        foreach (var (id, worker) in _workers)
        {
            if (worker.Drain.AppId == appId && _workers.TryRemove(id, out _))
            {
                _ = worker.DisposeAsync().AsTask();
            }
        }

        buffer.Forget(appId);
    }

    private void Start(LogDrainRecord drain)
    {
        var capacity = options.Value.LogDrainBufferLines;
        DrainWorker worker = new Uri(drain.Url).Scheme.StartsWith("syslog", StringComparison.Ordinal)
            ? new SyslogDrainWorker(drain, buffer, capacity, time, logger)
            : new HttpDrainWorker(drain, buffer, capacity, _http.Value, time, logger);
        if (_workers.TryAdd(drain.Id, worker))
        {
            worker.Start();
        }
        else
        {
            _ = worker.DisposeAsync().AsTask();
        }
    }
}
