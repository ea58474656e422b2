using System.Net.Sockets;
using Slipway.Router.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Slipway.Router.Forwarding;

/// <summary>Turns what YARP reports about a failed forward into Heroku's H-code.</summary>
public static class ForwardFailure
{
    /// <summary>
    /// The H-code for YARP's <paramref name="error"/>; <paramref name="clientAborted"/> tells a client's cancel from the idle
    /// timeout, and <paramref name="silentPastIdle"/> says the response had been silent for the idle time when it broke.
    /// </summary>
    public static RouterError Classify(ForwarderError error, Exception? exception, bool clientAborted, bool silentPastIdle) => error switch
    {
        ForwarderError.RequestTimedOut => RouterError.RequestTimeout,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            => clientAborted ? RouterError.ClientInterrupted : RouterError.IdleConnection,
        ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseClient => RouterError.ClientInterrupted,
        ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeRequestDestination
            or ForwarderError.UpgradeResponseDestination
            => silentPastIdle || (!clientAborted && IsCancellation(exception)) ? RouterError.IdleConnection : RouterError.ServerInterrupted,
        ForwarderError.Request => FromException(exception),
        _ => RouterError.PlatformError,
    };

    /// <summary>The dyno never saw the request (refused or no connection in time): another dyno may take it.</summary>
    public static bool NeverReachedDyno(RouterError error) => error == RouterError.ConnectionRefused || error == RouterError.ConnectTimeout;

    /// <summary>The forwarder's idle timer cancelled the copy (the exception may arrive wrapped).</summary>
    private static bool IsCancellation(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    private static RouterError FromException(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DynoTimeoutException:
                    return RouterError.RequestTimeout;
                case DynoConnectTimeoutException:
                    return RouterError.ConnectTimeout;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return RouterError.ConnectionRefused;
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return RouterError.ConnectTimeout;
                case HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded }:
                    return RouterError.HttpRestriction;
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse }:
                    return RouterError.PoorlyFormattedResponse;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return RouterError.ConnectionClosed;
            }
        }

        // Reset or closed mid-exchange before any response: the dyno dropped the connection.
        return RouterError.ConnectionClosed;
    }
}
