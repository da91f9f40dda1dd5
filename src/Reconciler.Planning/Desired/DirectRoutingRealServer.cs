using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>
/// The real-server side of LVS-DR on a node that is itself a real server of a DR service (the seed's directors
/// are): the director forwards frames addressed to the VIP unchanged, so this node must accept the VIP as local
/// without ever answering ARP for it while it is not MASTER. The classic recipe, done from the topology instead of
/// by hand: the VIP as a host address on <c>lo</c>, and <c>arp_ignore=1</c> (answer only for addresses on the
/// receiving interface) with <c>arp_announce=2</c> (never source ARP from an address of another interface). Both are
/// part of the node's plan; the values the parameters had before are kept in the ownership record and put back
/// once the node holds no such VIP.
/// </summary>
public static class DirectRoutingRealServer
{
    public const string LoopbackInterface = "lo";

    /// <summary>The kernel parameters an LVS-DR real server needs, with their values.</summary>
    public static IReadOnlyList<DesiredSysctl> ArpSysctls { get; } =
    [
        new("net.ipv4.conf.all.arp_ignore", "1", "LVS-DR real server: answer ARP only for addresses of the receiving interface"),
        new("net.ipv4.conf.all.arp_announce", "2", "LVS-DR real server: never announce the VIP on lo in ARP"),
    ];

    /// <summary>The names of <see cref="ArpSysctls"/>: what a reconcile reads.</summary>
    public static IReadOnlyList<string> SysctlNames { get; } = ArpSysctls.Select(s => s.Name).ToArray();

    /// <summary>The VIPs this node must hold on lo, as desired addresses the planner adds, keeps and (through the
    /// ownership record) removes once the topology no longer makes this node a DR real server of them.</summary>
    public static IReadOnlyList<DesiredAddress> LoopbackAddresses(TopologyModel topology, string node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var own = topology.Nodes.FirstOrDefault(n => n.Name == node)?.Addresses;
        if (own is null || own.Count == 0)
        {
            return [];
        }

        var addresses = new List<DesiredAddress>();
        var seen = new HashSet<IPAddress>();
        foreach (var service in topology.Services)
        {
            if (service.Forwarding != Forwarding.DirectRouting || service.Address is not { } vip || !service.RealServers.Any(r => own.Contains(r.Address)))
            {
                continue;
            }

            if (seen.Add(vip))
            {
                var owner = topology.VrrpInstances.FirstOrDefault(i => i.VirtualAddresses.Any(a => a.Address.Equals(vip)))?.Name ?? service.Name;
                var hostLength = vip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
                addresses.Add(new DesiredAddress(LoopbackInterface, new InterfaceAddress(vip, hostLength), owner, Present: true,
                    Reason: $"LVS-DR real server of {service.Name}: the VIP must be local"));
            }
        }

        return addresses;
    }
}
