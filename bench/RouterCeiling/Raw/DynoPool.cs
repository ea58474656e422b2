using System.Net;

namespace Slipway.RouterCeiling.Raw;

/// <summary>Idle keep-alive connections to one dyno, most recently used first (the warmest socket, and idle ones age out at the bottom).</summary>
internal sealed class DynoPool(IPEndPoint endpoint, int maxIdle = 256)
{
    private readonly Stack<DynoConnection> _idle = new();
    private readonly Lock _gate = new();

    public IPEndPoint Endpoint { get; } = endpoint;

    public bool TryRent(out DynoConnection connection)
    {
        lock (_gate)
        {
            if (_idle.TryPop(out var idle))
            {
                idle.Reused = true;
                connection = idle;
                return true;
            }
        }
        connection = null!;
        return false;
    }

    public void Return(DynoConnection connection)
    {
        lock (_gate)
        {
            if (_idle.Count < maxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Dispose();
    }
}
