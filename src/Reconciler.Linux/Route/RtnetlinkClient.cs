using System.Net;
using System.Net.Sockets;
using Reconciler.Linux.Netlink;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// NETLINK_ROUTE for what VRRP and the planner need: links (index, flags, carrier, MAC) and interface addresses
/// (dump, idempotent add and delete). Opened in the caller's network namespace or in the one at a path
/// (<c>/run/netns/NAME</c>). Thread-safe: requests are serialized on one connection.
/// </summary>
public sealed partial class RtnetlinkClient : IDisposable
{
    private readonly Lock _lock = new();
    private readonly NetlinkConnection _connection;

    private RtnetlinkClient(NetlinkConnection connection)
    {
        _connection = connection;
    }

    /// <summary>The namespace the client works in (null: the process's own).</summary>
    public string? NetworkNamespacePath => _connection.NetworkNamespacePath;

    /// <summary>Opens (and connects, so a bad namespace path fails here) a client.</summary>
    public static RtnetlinkClient Open(string? networkNamespacePath = null, TimeSpan? timeout = null)
    {
        var connection = new NetlinkConnection(NetlinkConstants.NETLINK_ROUTE, networkNamespacePath, timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            connection.Connect();
            return new RtnetlinkClient(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every link (RTM_GETLINK dump).</summary>
    public IReadOnlyList<LinkInfo> GetLinks()
    {
        var links = new List<LinkInfo>();
        lock (_lock)
        {
            _connection.Request(
                "RTM_GETLINK",
                RouteNetlink.RTM_GETLINK,
                0,
                links,
                static (ref NetlinkMessageWriter w, List<LinkInfo> _) => RouteMessages.WriteLinkRequest(ref w, 0, null),
                static (reply, list) =>
                {
                    if (reply.Header.Type == RouteNetlink.RTM_NEWLINK)
                    {
                        list.Add(RouteMessages.ReadLink(reply));
                    }
                },
                dump: true);
        }

        return links;
    }

    /// <summary>One link by name, or null when there is none (ENODEV).</summary>
    public LinkInfo? GetLink(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var found = new List<LinkInfo>(1);
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    "RTM_GETLINK " + name,
                    RouteNetlink.RTM_GETLINK,
                    0,
                    (List: found, Name: name),
                    static (ref NetlinkMessageWriter w, (List<LinkInfo> List, string Name) s) => RouteMessages.WriteLinkRequest(ref w, 0, s.Name),
                    static (reply, s) =>
                    {
                        if (reply.Header.Type == RouteNetlink.RTM_NEWLINK)
                        {
                            s.List.Add(RouteMessages.ReadLink(reply));
                        }
                    });
            }
            catch (NetlinkException e) when (e.Errno == RouteNetlink.ENODEV)
            {
                return null;
            }
        }

        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>The interface index of <paramref name="name"/> (if_nametoindex), or throws when there is no such link.</summary>
    public int GetInterfaceIndex(string name) =>
        GetLink(name)?.Index ?? throw new NetlinkException($"no interface named '{name}'", RouteNetlink.ENODEV);

    /// <summary>Every interface address of a family (<see cref="AddressFamily.Unspecified"/>: both), RTM_GETADDR dump.</summary>
    public IReadOnlyList<LinkAddress> GetAddresses(AddressFamily family = AddressFamily.Unspecified)
    {
        byte wire = family switch
        {
            AddressFamily.Unspecified => RouteNetlink.AF_UNSPEC,
            AddressFamily.InterNetwork => RouteNetlink.AF_INET,
            AddressFamily.InterNetworkV6 => RouteNetlink.AF_INET6,
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
        var addresses = new List<LinkAddress>();
        lock (_lock)
        {
            _connection.Request(
                "RTM_GETADDR",
                RouteNetlink.RTM_GETADDR,
                0,
                (List: addresses, Family: wire),
                static (ref NetlinkMessageWriter w, (List<LinkAddress> List, byte Family) s) => RouteMessages.WriteAddressDumpRequest(ref w, s.Family),
                static (reply, s) =>
                {
                    if (reply.Header.Type == RouteNetlink.RTM_NEWADDR && RouteMessages.TryReadAddress(reply, out var address))
                    {
                        s.List.Add(address!);
                    }
                },
                dump: true);
        }

        return addresses;
    }

    /// <summary>The addresses on one interface.</summary>
    public IReadOnlyList<LinkAddress> GetAddresses(int interfaceIndex, AddressFamily family = AddressFamily.Unspecified) =>
        GetAddresses(family).Where(a => a.InterfaceIndex == interfaceIndex).ToList();

    /// <summary>
    /// Adds an address (RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL). Returns false when it was already there (EEXIST):
    /// adding is idempotent. IPv6 addresses are added with IFA_F_NODAD by default, as keepalived adds its VIPs, so
    /// they are usable at once.
    /// </summary>
    public bool AddAddress(int interfaceIndex, InterfaceAddress address, bool noDad = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        uint flags = noDad && address.Family == AddressFamily.InterNetworkV6 ? RouteNetlink.IFA_F_NODAD : 0;
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_NEWADDR {address}",
                    RouteNetlink.RTM_NEWADDR,
                    NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL,
                    (interfaceIndex, address, flags),
                    static (ref NetlinkMessageWriter w, (int Index, InterfaceAddress Address, uint Flags) s) =>
                        RouteMessages.WriteAddressRequest(ref w, s.Index, s.Address, s.Flags, includeFlags: s.Flags != 0));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Native.Errno.EEXIST)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Deletes an address (RTM_DELADDR). Returns false when it was not there (EADDRNOTAVAIL): deleting is
    /// idempotent. The prefix length need not match: an IPv6 address present with another prefix is deleted too.
    /// </summary>
    public bool DeleteAddress(int interfaceIndex, InterfaceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (TryDelete(interfaceIndex, address))
        {
            return true;
        }

        // IPv6 deletes match the prefix length too; find the address as it is and delete that.
        var present = GetAddresses(interfaceIndex, address.Family)
            .FirstOrDefault(a => SameAddress(a.Address.Address, address.Address) && a.Address.PrefixLength != address.PrefixLength);
        return present is not null && TryDelete(interfaceIndex, present.Address with { Address = address.Address });
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    internal static bool SameAddress(IPAddress left, IPAddress right)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        left.TryWriteBytes(a, out int la);
        right.TryWriteBytes(b, out int lb);
        return a[..la].SequenceEqual(b[..lb]);
    }

    private bool TryDelete(int interfaceIndex, InterfaceAddress address)
    {
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_DELADDR {address}",
                    RouteNetlink.RTM_DELADDR,
                    0,
                    (interfaceIndex, address),
                    static (ref NetlinkMessageWriter w, (int Index, InterfaceAddress Address) s) =>
                        RouteMessages.WriteAddressRequest(ref w, s.Index, s.Address, 0, includeFlags: false));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == RouteNetlink.EADDRNOTAVAIL)
            {
                return false;
            }
        }
    }
}
