using System.Net;
using System.Net.Sockets;

namespace Slipway.RouterCeiling.Raw;

/// <summary>One HTTP/1.1 connection to a dyno with its receive buffer; bytes [Start, End) are received but not yet consumed.</summary>
internal sealed class DynoConnection(Socket socket) : IDisposable
{
    public const int BufferSize = 16 * 1024;

    public Socket Socket { get; } = socket;
    // Pinned once: every receive would otherwise pin the array again.
    public byte[] Buffer { get; } = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    public int Start;
    public int End;
    public bool Reused;

    public ReadOnlySpan<byte> Received => Buffer.AsSpan(Start, End - Start);

    public static async ValueTask<DynoConnection> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new DynoConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives more bytes after End, moving unconsumed bytes to the front first when the tail is full. 0 at end of stream.</summary>
    public async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (Start == End)
        {
            Start = End = 0;
        }
        else if (End == Buffer.Length)
        {
            if (Start == 0)
            {
                throw new InvalidDataException("a line or head from the dyno is larger than the buffer");
            }
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            End -= Start;
            Start = 0;
        }
        var n = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken);
        End += n;
        return n;
    }

    public void Dispose() => Socket.Dispose();
}
