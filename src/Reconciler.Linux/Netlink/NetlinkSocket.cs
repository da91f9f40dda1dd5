using Reconciler.Linux.Native;

namespace Reconciler.Linux.Netlink;

/// <summary>
/// A raw AF_NETLINK socket of one protocol (NETLINK_GENERIC, NETLINK_ROUTE, ...) bound to a kernel-assigned port
/// id, in the caller's network namespace or in the one at a given path. One datagram per send and per receive.
/// Not thread-safe: one user at a time.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    private readonly SafeSocketHandle _handle;

    private NetlinkSocket(SafeSocketHandle handle, int protocol, uint portId, string? networkNamespacePath, TimeSpan receiveTimeout)
    {
        _handle = handle;
        Protocol = protocol;
        PortId = portId;
        NetworkNamespacePath = networkNamespacePath;
        ReceiveTimeout = receiveTimeout;
    }

    public int Protocol { get; }

    /// <summary>The port id the kernel gave this socket; replies to it carry this id.</summary>
    public uint PortId { get; }

    /// <summary>The namespace the socket was created in (null: the process's namespace at the time).</summary>
    public string? NetworkNamespacePath { get; }

    /// <summary>How long one receive waits (SO_RCVTIMEO).</summary>
    public TimeSpan ReceiveTimeout { get; }

    /// <summary>Opens a socket. With <paramref name="networkNamespacePath"/> (e.g. /run/netns/NAME) the socket is
    /// created on a dedicated thread that has joined that namespace, and stays bound to it.</summary>
    public static NetlinkSocket Open(int protocol, string? networkNamespacePath, TimeSpan receiveTimeout)
    {
        if (receiveTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(receiveTimeout), "a netlink socket needs a positive timeout");
        }

        SafeSocketHandle Create(out uint portId)
        {
            var handle = LinuxNative.OpenNetlink(protocol, out portId);
            try
            {
                LinuxNative.SetReceiveTimeout(handle, receiveTimeout);
                return handle;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        uint portId;
        SafeSocketHandle handle;
        if (networkNamespacePath is null)
        {
            handle = Create(out portId);
        }
        else
        {
            (handle, portId) = LinuxNative.InNetworkNamespace(networkNamespacePath, () =>
            {
                var created = Create(out uint id);
                return (created, id);
            });
        }

        return new NetlinkSocket(handle, protocol, portId, networkNamespacePath, receiveTimeout);
    }

    /// <summary>Sets SO_RCVBUF (forced past rmem_max when the process may); returns what the kernel granted.</summary>
    public int SetReceiveBufferSize(int bytes) => LinuxNative.SetBufferSize(_handle, receive: true, bytes);

    /// <summary>Sets SO_SNDBUF, which bounds one datagram to the kernel; returns what the kernel granted.</summary>
    public int SetSendBufferSize(int bytes) => LinuxNative.SetBufferSize(_handle, receive: false, bytes);

    /// <summary>Sends one datagram (any number of whole messages) to the kernel.</summary>
    public void Send(ReadOnlySpan<byte> messages) => LinuxNative.SendToKernel(_handle, messages);

    /// <summary>Receives one datagram from the kernel; returns its length, or -1 when the receive timed out.</summary>
    public int Receive(Span<byte> buffer) => LinuxNative.ReceiveFromKernel(_handle, buffer);

    /// <summary>Receives up to <paramref name="lengths"/>.Length datagrams in one system call, waiting for the first
    /// only; datagram i lands at offset i * <paramref name="slotSize"/>. Returns the count, 0 when the receive timed
    /// out. A length of 0 marks a datagram that was not from the kernel.</summary>
    public int ReceiveMany(Span<byte> buffer, int slotSize, Span<int> lengths) =>
        LinuxNative.ReceiveManyFromKernel(_handle, buffer, slotSize, lengths);

    public void Dispose() => _handle.Dispose();
}
