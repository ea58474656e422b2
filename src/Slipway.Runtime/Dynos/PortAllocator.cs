using System.Net;
using System.Net.Sockets;

namespace Slipway.Runtime.Dynos;

/// <summary>Hands each dyno its own <c>$PORT</c> on 127.0.0.1 from a range, skipping ports something else holds.</summary>
public sealed class PortAllocator
{
    private readonly HashSet<int> _taken = [];
    private readonly int _first;
    private readonly int _last;
    private int _next;

    public PortAllocator(int first, int last)
    {
        (_first, _last, _next) = (first, last, first);
    }

    public int Allocate()
    {
        lock (_taken)
        {
            for (var attempts = 0; attempts <= _last - _first; attempts++)
            {
                var port = _next;
                _next = _next >= _last ? _first : _next + 1;
                if (!_taken.Contains(port) && IsFree(port))
                {
                    _taken.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free dyno port left in {_first}-{_last}. Widen --dyno-ports or scale down.");
    }

    /// <summary>
    /// A warning when the range overlaps the kernel's ephemeral ports: a connection slipwayd or anything else opens may take
    /// a dyno's port between its allocation and the app's bind, and the app then fails with EADDRINUSE.
    /// </summary>
    public static string? EphemeralOverlap(int first, int last, string rangeFile = "/proc/sys/net/ipv4/ip_local_port_range")
    {
        if (!File.Exists(rangeFile) || File.ReadAllText(rangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries) is not [var low, var high]
            || !int.TryParse(low, out var ephemeralFirst) || !int.TryParse(high, out var ephemeralLast))
        {
            return null;
        }

        return first <= ephemeralLast && ephemeralFirst <= last
            ? $"--dyno-ports {first}-{last} overlaps the kernel's ephemeral ports {ephemeralFirst}-{ephemeralLast}: apps may fail to bind $PORT. " +
              "Choose a range outside it (default 20000-29999), or reserve it with sysctl net.ipv4.ip_local_reserved_ports."
            : null;
    }

    public void Release(int port)
    {
        lock (_taken)
        {
            _taken.Remove(port);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
