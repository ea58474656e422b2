using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos;

/// <summary>
/// One sock_diag (netlink) question: which TCP socket would take a connection to 127.0.0.1:port. The kernel answers
/// an exact lookup with the listener it would hand the SYN to (IPv4, or IPv6 on :: without v6only), or ENOENT; its
/// record carries the listener's owner as a host uid.
/// </summary>
internal static class SockDiag
{
    private const int AF_NETLINK = 16;
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int NETLINK_SOCK_DIAG = 4;
    private const int MSG_DONTWAIT = 0x40;
    private const ushort SOCK_DIAG_BY_FAMILY = 20;
    private const ushort NLM_F_REQUEST = 1;
    private const byte IPPROTO_TCP = 6;
    private const byte TCP_LISTEN = 10;

    private const int HeaderLength = 16; // struct nlmsghdr
    private const int RequestLength = HeaderLength + 56; // + struct inet_diag_req_v2
    private const int UidOffset = HeaderLength + 4 + 48 + 12; // struct inet_diag_msg: state bytes, sockid, expires/queues, then uid

    /// <summary>The host uid owning the listener a connection to 127.0.0.1:<paramref name="port"/> would reach, or null when none listens.</summary>
    public static unsafe uint? ListenerUid(int port)
    {
        Span<byte> request = stackalloc byte[RequestLength];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, RequestLength);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NLM_F_REQUEST);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], 1);
        var body = request[HeaderLength..];
        body[0] = AF_INET;
        body[1] = IPPROTO_TCP;
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], uint.MaxValue); // every state
        var id = body[8..]; // struct inet_diag_sockid, ports and addresses in network order
        BinaryPrimitives.WriteUInt16BigEndian(id, checked((ushort)port));
        id[4] = 127;
        id[7] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(id[40..], uint.MaxValue); // INET_DIAG_NOCOOKIE
        BinaryPrimitives.WriteUInt32LittleEndian(id[44..], uint.MaxValue);

        var fd = Libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0)
        {
            throw new IOException($"Opening a sock_diag socket failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            Span<byte> reply = stackalloc byte[512];
            nint received;
            fixed (byte* sent = request)
            {
                if (Libc.send(fd, sent, (nuint)request.Length, 0) != request.Length)
                {
                    throw new IOException($"Asking sock_diag failed: {Marshal.GetLastPInvokeErrorMessage()}");
                }
            }

            // The kernel answers an exact lookup while handling the send: the reply is queued already.
            fixed (byte* buffer = reply)
            {
                received = Libc.recv(fd, buffer, (nuint)reply.Length, MSG_DONTWAIT);
            }

            // Anything but a socket record (NLMSG_ERROR with ENOENT when nothing listens) means no listener.
            return received >= UidOffset + 4
                && BinaryPrimitives.ReadUInt16LittleEndian(reply[4..]) == SOCK_DIAG_BY_FAMILY
                && reply[HeaderLength + 1] == TCP_LISTEN
                ? BinaryPrimitives.ReadUInt32LittleEndian(reply[UidOffset..])
                : null;
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
