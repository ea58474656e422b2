using System.Net;
using System.Net.Sockets;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos;

/// <summary>
/// Whether a connection to 127.0.0.1:port would be accepted now, for a web dyno's readiness. On Linux the kernel is
/// asked (sock_diag finds the listener a SYN would reach, dual-stack sockets included) so the booting app is not
/// handed a throwaway probe connection right before its first request; elsewhere it connects.
/// </summary>
public static class ListenProbe
{
    private static readonly Lazy<bool> KernelAnswers = new(KernelAnswersCorrectly);

    /// <summary>
    /// How long to wait before asking again about a dyno booting for <paramref name="booting"/>: every pause is added to its
    /// boot (and to a wake), so 1 ms at first; a slow boot is asked at 1 % of its age, at most every 10 ms, so it costs few probes.
    /// </summary>
    public static TimeSpan PauseAfter(TimeSpan booting) =>
        TimeSpan.FromTicks(Math.Clamp(booting.Ticks / 100, TimeSpan.TicksPerMillisecond, 10 * TimeSpan.TicksPerMillisecond));

    /// <summary>
    /// With <paramref name="ownerUid"/>, only a listener of that host uid counts: a dyno may bind any loopback port, so
    /// another app squatting this dyno's <c>$PORT</c> before it boots must not be taken for it (and sent its requests).
    /// </summary>
    public static async ValueTask<bool> AcceptsAsync(int port, int? ownerUid = null)
    {
        if (!KernelAnswers.Value)
        {
            return await ConnectsAsync(port);
        }

        try
        {
            return SockDiag.ListenerUid(port) is { } uid && (ownerUid is null || uid == (uint)ownerUid.Value);
        }
        catch (IOException)
        {
            return false; // out of descriptors for a moment: the next poll asks again
        }
    }

    /// <summary>Checks once against a listener of our own, so a kernel without TCP sock_diag falls back to connecting.</summary>
    private static bool KernelAnswersCorrectly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var beforeListen = SockDiag.ListenerUid(port);
            listener.Listen();
            return beforeListen is null && SockDiag.ListenerUid(port) == Libc.geteuid();
        }
        catch (Exception e) when (e is SocketException or IOException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static async Task<bool> ConnectsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
