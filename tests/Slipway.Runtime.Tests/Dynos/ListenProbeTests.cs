using System.Net;
using System.Net.Sockets;
using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class ListenProbeTests
{
    [Fact]
    public async Task AcceptsAsync_FalseWhileOnlyBound_TrueWhileListening_FalseOnceClosed()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        Assert.False(await ListenProbe.AcceptsAsync(port));
        listener.Listen();
        Assert.True(await ListenProbe.AcceptsAsync(port));
        listener.Dispose();
        Assert.False(await ListenProbe.AcceptsAsync(port));
    }

    [Fact]
    public async Task AcceptsAsync_WithAnOwner_CountsOnlyThatUidsListener()
    {
        // Another app's process listening on a dyno's $PORT first must not pass for the dyno.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var mine = (int)geteuid();

        Assert.True(await ListenProbe.AcceptsAsync(port, ownerUid: mine));
        Assert.False(await ListenProbe.AcceptsAsync(port, ownerUid: mine + 4242));
    }

    [Fact]
    public async Task AcceptsAsync_ListenerOnAllAddresses_Counts()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 0));
        listener.Listen();

        Assert.True(await ListenProbe.AcceptsAsync(((IPEndPoint)listener.LocalEndPoint!).Port));
    }

    [Fact]
    public async Task AcceptsAsync_DualStackListener_Counts_LikeNodeOnItsDefaultAddress()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        listener.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        listener.Listen();

        Assert.True(await ListenProbe.AcceptsAsync(((IPEndPoint)listener.LocalEndPoint!).Port));
    }

    [Fact]
    public async Task AcceptsAsync_ListenerTheRouterCannotReach_DoesNotCount()
    {
        // The router connects to 127.0.0.1: an IPv6-only listener on ::1 would answer it with a refusal.
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = false };
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen();

        Assert.False(await ListenProbe.AcceptsAsync(((IPEndPoint)listener.LocalEndPoint!).Port));
    }

    [Fact]
    public async Task AcceptsAsync_OnLinux_LeavesNoConnectionForTheAppToAccept()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the kernel is asked only on Linux; elsewhere the probe connects");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();

        Assert.True(await ListenProbe.AcceptsAsync(((IPEndPoint)listener.LocalEndPoint!).Port));
        Assert.False(listener.Poll(0, SelectMode.SelectRead), "a probe connection is waiting in the accept queue");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(50, 1)]
    [InlineData(500, 5)]
    [InlineData(60_000, 10)]
    public void PauseAfter_IsOneMillisecondAtFirst_ThenOnePercentOfTheBoot_AtMostTen(int bootingMs, int pauseMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(pauseMs), ListenProbe.PauseAfter(TimeSpan.FromMilliseconds(bootingMs)));
    }

    /// <summary>This process's effective uid, from <c>/proc/self/status</c> (real, effective, saved, fs).</summary>
    private static uint geteuid() =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
