using System.Net;

namespace Slipway.Router.Forwarding;

/// <summary>
/// H12: the dyno must send its response headers within the timeout, counted from when the whole request has reached it
/// (an upload's own duration never counts). Once the headers arrive, only the forwarder's idle rule applies.
/// </summary>
public sealed class FirstByteTimeoutHandler(TimeSpan timeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = new DeadlineClock(deadline, timeout);
        if (request.Content is { } content)
        {
            request.Content = new SentSignallingContent(content, clock.Start);
        }
        else
        {
            clock.Start();
        }

        try
        {
            return await base.SendAsync(request, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the client or the forwarder: either our deadline, or the handler's connect timeout.
            throw clock.Fired ? new DynoTimeoutException("The dyno sent no response headers in time.", e) : new DynoConnectTimeoutException(e);
        }
        finally
        {
            clock.Stop();
        }
    }

    /// <summary>Starts the deadline at most once, and never after the response has arrived.</summary>
    private sealed class DeadlineClock(CancellationTokenSource source, TimeSpan timeout)
    {
        private readonly Lock _gate = new();
        private bool _stopped;

        public bool Fired => source.IsCancellationRequested;

        public void Start()
        {
            lock (_gate)
            {
                if (!_stopped)
                {
                    source.CancelAfter(timeout);
                }
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
            }
        }
    }

    /// <summary>Passes the request body through unchanged and says when all of it has been sent.</summary>
    private sealed class SentSignallingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Action _sent;

        public SentSignallingContent(HttpContent inner, Action sent)
        {
            _inner = inner;
            _sent = sent;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await _inner.CopyToAsync(stream, context, cancellationToken);
            _sent();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>H12: the dyno accepted the request but sent no response headers within the request timeout.</summary>
public sealed class DynoTimeoutException(string message, Exception inner) : TimeoutException(message, inner);

/// <summary>H19: the dyno did not accept the connection within the connect timeout.</summary>
public sealed class DynoConnectTimeoutException(Exception inner) : TimeoutException("The dyno did not accept the connection in time.", inner);
