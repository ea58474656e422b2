using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs.Drains;

/// <summary>A <c>syslog://host:port</c> (or <c>syslog+tls://</c>) drain: RFC 5424 messages over one TCP connection, octet-counted.</summary>
internal sealed class SyslogDrainWorker(LogDrainRecord drain, AppLogBuffer buffer, int capacity, TimeProvider time, ILogger logger)
    : DrainWorker(drain, buffer, capacity, maxBatch: 1000, time, logger)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly Uri _url = new(drain.Url);
    private readonly ArrayBufferWriter<byte> _frames = new(64 * 1024);
    private TcpClient? _client;
    private Stream? _stream;

    protected override async Task<bool> DeliverAsync(IReadOnlyList<LogEntry> batch, CancellationToken cancellationToken)
    {
        _frames.ResetWrittenCount();
        foreach (var entry in batch)
        {
            SyslogFrame.Append(_frames, entry.Line, Drain.Token, strict: true);
        }

        // A syslog peer cannot refuse one batch in particular, so retry until it takes it; meanwhile new lines queue up to capacity.
        for (var failures = 1; ; failures++)
        {
            try
            {
                _stream ??= await ConnectAsync(cancellationToken);
                await _stream.WriteAsync(_frames.WrittenMemory, cancellationToken);
                await _stream.FlushAsync(cancellationToken);
                return true;
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or TimeoutException)
            {
                if (failures == 1)
                {
                    Logger.LogWarning("Log drain {Token} ({Url}) is unreachable: {Error}", Drain.Token, Drain.Url, e.Message);
                }

                await CloseAsync();
                await BackoffAsync(failures, cancellationToken);
            }
        }
    }

    protected override ValueTask CloseAsync()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
        return ValueTask.CompletedTask;
    }

    private async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        _client = new TcpClient { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await _client.ConnectAsync(_url.Host, _url.Port, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no TCP connection within {ConnectTimeout.TotalSeconds} s");
            }
        }

        Stream stream = _client.GetStream();
        if (_url.Scheme == "syslog+tls")
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _url.Host }, cancellationToken);
            stream = tls;
        }

        return stream;
    }
}
