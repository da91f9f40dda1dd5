using System.Net;
using Reconciler.Linux.Native;

namespace Reconciler.Linux.Vrrp;

/// <summary>An AF_PACKET socket on one interface that sends gratuitous ARPs and unsolicited neighbour advertisements.</summary>
public sealed class AnnouncementSocket : IDisposable
{
    private readonly SafeSocketHandle _handle;

    private AnnouncementSocket(SafeSocketHandle handle, int interfaceIndex, byte[] mac)
    {
        _handle = handle;
        InterfaceIndex = interfaceIndex;
        HardwareAddress = mac;
    }

    public int InterfaceIndex { get; }

    public byte[] HardwareAddress { get; }

    public static AnnouncementSocket Open(int interfaceIndex, byte[] mac, string? networkNamespacePath = null)
    {
        ArgumentNullException.ThrowIfNull(mac);
        SafeSocketHandle Create() => PacketNative.OpenPacket(interfaceIndex, PacketNative.ETH_P_ARP);
        var handle = networkNamespacePath is null ? Create() : LinuxNative.InNetworkNamespace(networkNamespacePath, Create);
        return new AnnouncementSocket(handle, interfaceIndex, mac);
    }

    /// <summary>Sends <paramref name="count"/> announcements of <paramref name="address"/>, back to back (keepalived's default garp interval 0).</summary>
    public void Announce(IPAddress address, int count)
    {
        var frame = AnnouncementFrames.Build(HardwareAddress, address);
        for (int i = 0; i < count; i++)
        {
            PacketNative.SendFrame(_handle, frame, InterfaceIndex);
        }
    }

    public void Dispose() => _handle.Dispose();
}
