using System.Net.Sockets;

namespace Reconciler.Topology.Model;

/// <summary>
/// keepalived's <c>use_vmac</c>: each node of the instance has a macvlan interface (mode private) on top of the
/// instance's interface, with the VRRP virtual MAC 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6)
/// (RFC 5798 7.3), for networks that pin a VIP to one MAC. The virtual addresses live on it, the adverts and the
/// gratuitous ARPs leave from it (from the virtual MAC), so a takeover changes no client's neighbour entry. The
/// agent's VRRP service owns the interface: it creates it when the instance starts (and again if it goes), sets the
/// sysctls keepalived sets, and deletes it when the instance stops. The topology must not also list it as an
/// interface of the node.
/// </summary>
/// <param name="Name">The macvlan's name, at most 15 characters (keepalived's default <c>vrrp.VRID</c>).</param>
/// <param name="TransmitBase">keepalived's <c>vmac_xmit_base</c>: adverts leave from the base interface (its own MAC),
/// the virtual addresses stay on the macvlan.</param>
public sealed record VirtualMac(string Name, bool TransmitBase)
{
    /// <summary>The longest interface name the kernel takes (IFNAMSIZ - 1).</summary>
    public const int MaxNameLength = 15;

    /// <summary>keepalived's default name: <c>vrrp.VRID</c>.</summary>
    public static string DefaultName(int virtualRouterId) => FormattableString.Invariant($"vrrp.{virtualRouterId}");

    /// <summary>The VRRP virtual MAC of a router id: 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6.</summary>
    public static byte[] HardwareAddress(AddressFamily family, int virtualRouterId) =>
        [0x00, 0x00, 0x5e, 0x00, family == AddressFamily.InterNetworkV6 ? (byte)0x02 : (byte)0x01, (byte)virtualRouterId];
}
