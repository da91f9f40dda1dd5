using Reconciler.Linux.Netlink;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>Links the agent creates (a VRRP instance's vmac) and labelled addresses.</summary>
public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Creates a macvlan <paramref name="name"/> on <paramref name="lowerIndex"/> with <paramref name="mac"/>
    /// (RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL), down. Returns false when a link of that name exists (EEXIST): the
    /// caller decides whether it is the one it wants.
    /// </summary>
    public bool AddMacvlan(string name, int lowerIndex, byte[] mac, uint mode = LinkNetlink.MACVLAN_MODE_PRIVATE)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(mac);
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_NEWLINK macvlan {name}",
                    RouteNetlink.RTM_NEWLINK,
                    NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL,
                    (name, lowerIndex, mac, mode),
                    static (ref NetlinkMessageWriter w, (string Name, int Lower, byte[] Mac, uint Mode) s) =>
                        LinkMessages.WriteMacvlanRequest(ref w, s.Name, s.Lower, s.Mac, s.Mode));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Native.Errno.EEXIST)
            {
                return false;
            }
        }
    }

    /// <summary>Sets a link administratively up or down (RTM_NEWLINK with ifi_change IFF_UP).</summary>
    public void SetLinkUp(int interfaceIndex, bool up = true)
    {
        lock (_lock)
        {
            _connection.Request(
                $"RTM_NEWLINK {interfaceIndex} {(up ? "up" : "down")}",
                RouteNetlink.RTM_NEWLINK,
                0,
                (interfaceIndex, up),
                static (ref NetlinkMessageWriter w, (int Index, bool Up) s) => LinkMessages.WriteSetUpRequest(ref w, s.Index, s.Up));
        }
    }

    /// <summary>Deletes a link (RTM_DELLINK). Returns false when it was not there (ENODEV): deleting is idempotent.</summary>
    public bool DeleteLink(int interfaceIndex)
    {
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_DELLINK {interfaceIndex}",
                    RouteNetlink.RTM_DELLINK,
                    0,
                    interfaceIndex,
                    static (ref NetlinkMessageWriter w, int index) => LinkMessages.WriteDeleteRequest(ref w, index));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == RouteNetlink.ENODEV)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// <see cref="AddAddress(int, InterfaceAddress, bool)"/> with an IFA_LABEL (IPv4: <c>ip addr add ... label
    /// eth0:1</c>). Returns false when the address was already there.
    /// </summary>
    public bool AddAddress(int interfaceIndex, InterfaceAddress address, string? label, bool noDad = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (label is null)
        {
            return AddAddress(interfaceIndex, address, noDad);
        }

        uint flags = noDad && address.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? RouteNetlink.IFA_F_NODAD : 0;
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_NEWADDR {address} label {label}",
                    RouteNetlink.RTM_NEWADDR,
                    NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL,
                    (interfaceIndex, address, flags, label),
                    static (ref NetlinkMessageWriter w, (int Index, InterfaceAddress Address, uint Flags, string Label) s) =>
                    {
                        RouteMessages.WriteAddressRequest(ref w, s.Index, s.Address, s.Flags, includeFlags: s.Flags != 0);
                        w.WriteString(RouteNetlink.IFA_LABEL, s.Label);
                    });
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Native.Errno.EEXIST)
            {
                return false;
            }
        }
    }
}
