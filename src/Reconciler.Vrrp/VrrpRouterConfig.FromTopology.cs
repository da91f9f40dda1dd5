using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Vrrp;

public sealed partial record VrrpRouterConfig
{
    /// <summary>
    /// Resolves one node's view of a VRRP instance.
    /// </summary>
    /// <param name="topology">The validated topology.</param>
    /// <param name="instance">The instance (one of <paramref name="topology"/>'s).</param>
    /// <param name="nodeName">This node; it must have a priority in the instance.</param>
    /// <param name="readPasswordFile">
    /// Reads a password file (the edge's job: file access stays out of the core). Needed only when the
    /// instance names a password file; without it such an instance throws.
    /// </param>
    /// <exception cref="ArgumentException">The node or a tracked check is unknown, or the node does not take part. A node
    /// with no address of the instance's family gets the unspecified address as <see cref="PrimaryAddress"/>: the edge
    /// sends from the interface's primary address then.</exception>
    public static VrrpRouterConfig FromTopology(TopologyModel topology, VrrpInstance instance, string nodeName, Func<string, string>? readPasswordFile = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(nodeName);

        var node = topology.FindNode(nodeName) ?? throw new ArgumentException($"Node '{nodeName}' is not in the topology.", nameof(nodeName));
        if (!instance.Priorities.TryGetValue(nodeName, out var priority))
        {
            throw new ArgumentException($"Node '{nodeName}' takes no part in VRRP instance '{instance.Name}'.", nameof(nodeName));
        }

        var family = FamilyOf(instance, node);
        var ownAddresses = node.Addresses.Where(a => a.AddressFamily == family).ToList();
        var peers = instance.UnicastPeers.Where(p => !ownAddresses.Contains(p)).ToValueList();
        // A node that names no address of the family sends from its interface's primary address, as keepalived does
        // (keepalived.conf names none): the unspecified address here, resolved by the edge when the socket opens.
        var primary = PrimaryAddressOf(ownAddresses, family, multicast: peers.Count == 0)
            ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);

        // A sync group's tracked objects are tracked by each of its members, as if each tracked them itself.
        var group = topology.SyncGroupOf(instance.Name);
        var checks = instance.TrackChecks.Concat(group?.TrackChecks ?? []).Select(reference =>
        {
            var check = topology.FindCheck(reference.Check)
                ?? throw new ArgumentException($"VRRP instance '{instance.Name}' tracks unknown check '{reference.Check}'.", nameof(instance));
            return new VrrpTrackedCheck(check.Name, reference.Weight ?? check.Weight)
            {
                IsFile = check.File is not null,
                Reverse = reference.Reverse ?? check.File?.Reverse ?? false,
            };
        }).ToValueList();

        var interfaces = instance.TrackInterfaces.Concat(group?.TrackInterfaces ?? [])
            .Select(t => new VrrpTrackedInterface(t.Interface, t.Weight)).ToValueList();

        return new VrrpRouterConfig(
            instance.Name,
            instance.InterfaceFor(nodeName),
            instance.VirtualRouterId is >= 1 and <= 255
                ? (byte)instance.VirtualRouterId
                : throw new ArgumentException($"VRRP instance '{instance.Name}' has VRID {instance.VirtualRouterId}; it must be 1..255.", nameof(instance)),
            instance.Version,
            family,
            instance.AdvertInterval,
            priority,
            instance.Preempt,
            instance.PreemptDelay,
            primary,
            peers,
            instance.VirtualAddresses,
            checks,
            interfaces,
            ResolvePassword(instance, readPasswordFile),
            instance.Garp)
        {
            VirtualRoutes = instance.VirtualRoutes,
            VirtualRules = instance.VirtualRules,
            Vmac = instance.Vmac,
            AddressLabels = instance.VirtualAddressLabels,
        };
    }

    private static AddressFamily FamilyOf(VrrpInstance instance, Node node)
    {
        if (instance.VirtualAddresses.Count > 0)
        {
            return instance.VirtualAddresses[0].Family;
        }

        if (instance.UnicastPeers.Count > 0)
        {
            return instance.UnicastPeers[0].AddressFamily;
        }

        return instance.Version == VrrpConstants.VRRP_VERSION_2 || node.Addresses.Count == 0
            ? AddressFamily.InterNetwork
            : node.Addresses[0].AddressFamily;
    }

    /// <summary>
    /// The node's first address of the family (the topology's rule). For IPv6 multicast RFC 5798 5.1.2.1 wants the
    /// interface's link-local address as source, so a link-local address in the node's list wins there; the
    /// edge may substitute the interface's actual link-local address with <c>config with { PrimaryAddress = ... }</c>.
    /// </summary>
    private static IPAddress? PrimaryAddressOf(List<IPAddress> ownAddresses, AddressFamily family, bool multicast)
    {
        if (family == AddressFamily.InterNetworkV6 && multicast)
        {
            var linkLocal = ownAddresses.FirstOrDefault(a => a.IsIPv6LinkLocal);
            if (linkLocal is not null)
            {
                return linkLocal;
            }
        }

        return ownAddresses.FirstOrDefault();
    }

    private static string? ResolvePassword(VrrpInstance instance, Func<string, string>? readPasswordFile)
    {
        if (instance.Authentication is not { } auth)
        {
            return null;
        }

        if (auth.Password is not null)
        {
            return auth.Password;
        }

        if (auth.PasswordFile is null)
        {
            return null;
        }

        if (readPasswordFile is null)
        {
            throw new ArgumentException(
                $"VRRP instance '{instance.Name}' reads its password from '{auth.PasswordFile}'; pass a reader.", nameof(readPasswordFile));
        }

        // A trailing newline is how files end, not part of the password.
        return readPasswordFile(auth.PasswordFile).TrimEnd('\r', '\n');
    }

    private static string Describe(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
