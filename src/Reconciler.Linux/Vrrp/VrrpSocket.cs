using System.Net;
using System.Net.Sockets;
using Reconciler.Linux.Native;
using Reconciler.Vrrp.Wire;
using SafeSocketHandle = Reconciler.Linux.Native.SafeSocketHandle;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// The raw sockets of one VRRP instance on one interface: a sending socket bound to the primary address (TTL / hop
/// limit 255, multicast loop off, out of the interface) and a receiving one (SO_BINDTODEVICE, joined to
/// 224.0.0.18 / ff02::12 unless unicast; IPv6 with the hop limit and destination as ancillary data). Both are
/// created in the given network namespace, if any, and stay there.
/// </summary>
public sealed class VrrpSocket : IDisposable
{
    /// <summary>Room for the longest VRRP message plus the longest IPv4 header.</summary>
    public const int ReceiveBufferLength = 8192;

    private readonly SafeSocketHandle _send;
    private readonly SafeSocketHandle _receive;

    private VrrpSocket(AddressFamily family, int interfaceIndex, int sendInterfaceIndex, SafeSocketHandle send, SafeSocketHandle receive, IPAddress group)
    {
        Family = family;
        InterfaceIndex = interfaceIndex;
        SendInterfaceIndex = sendInterfaceIndex;
        _send = send;
        _receive = receive;
        Group = group;
    }

    public AddressFamily Family { get; }

    /// <summary>The interface adverts are received on.</summary>
    public int InterfaceIndex { get; }

    /// <summary>The interface adverts leave from (another than <see cref="InterfaceIndex"/> for a vmac with
    /// <c>vmac_xmit_base</c>).</summary>
    public int SendInterfaceIndex { get; }

    public IPAddress Group { get; }

    /// <summary>Opens both sockets.</summary>
    /// <param name="multicast">Join the VRRP group (false for unicast peers).</param>
    /// <param name="sendInterface">Send from this interface instead (name and index; null: the receiving one).</param>
    public static VrrpSocket Open(AddressFamily family, string interfaceName, int interfaceIndex, IPAddress source, bool multicast, string? networkNamespacePath = null,
        (string Name, int Index)? sendInterface = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (sendName, sendIndex) = sendInterface ?? (interfaceName, interfaceIndex);
        var group = family == AddressFamily.InterNetworkV6 ? VrrpConstants.VRRP_MCAST_GROUP6 : VrrpConstants.VRRP_MCAST_GROUP4;
        (SafeSocketHandle Send, SafeSocketHandle Receive) Create()
        {
            var send = PacketNative.OpenVrrp(family, sendName, sendIndex, source, joinGroup: null);
            try
            {
                return (send, PacketNative.OpenVrrp(family, interfaceName, interfaceIndex, source: null, joinGroup: multicast ? group : null));
            }
            catch
            {
                send.Dispose();
                throw;
            }
        }

        var (sendHandle, receiveHandle) = networkNamespacePath is null ? Create() : LinuxNative.InNetworkNamespace(networkNamespacePath, Create);
        return new VrrpSocket(family, interfaceIndex, sendIndex, sendHandle, receiveHandle, group);
    }

    /// <summary>Sends one VRRP message (IP payload) to the group or a peer.</summary>
    public void Send(ReadOnlySpan<byte> message, IPAddress destination) => PacketNative.SendTo(_send, message, destination, SendInterfaceIndex);

    /// <summary>Waits up to <paramref name="timeout"/> for a packet.</summary>
    public bool WaitReadable(TimeSpan timeout) => PacketNative.WaitReadable(_receive, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));

    /// <summary>
    /// One received packet, without waiting: the whole IPv4 datagram (header included; <paramref name="info"/> null),
    /// or the IPv6 payload with its source, destination and hop limit. Returns -1 when nothing is waiting.
    /// </summary>
    public int Receive(Span<byte> buffer, out VrrpPacketInfo? info)
    {
        int length = PacketNative.Receive(_receive, buffer, out var source, out var destination, out int hopLimit, out _);
        info = null;
        if (length >= 0 && Family == AddressFamily.InterNetworkV6)
        {
            info = new VrrpPacketInfo(source ?? IPAddress.IPv6None, destination ?? IPAddress.IPv6None, Math.Max(hopLimit, 0));
        }

        return length;
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }
}
