using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>
/// A node's own network configuration (<see cref="Node.Network"/>: keepalived's <c>static_ipaddress</c>,
/// <c>static_routes</c> and <c>static_rules</c>) as desired objects the plan owns, and the VRRP instances' virtual
/// routes and rules as objects shown with the role that decides them (their one writer is the VRRP router).
/// </summary>
public static class NodeNetworkState
{
    /// <summary>The name a static address is served for (<see cref="DesiredAddress.Instance"/>).</summary>
    public const string StaticOwner = "node network";

    public static NodeNetwork Of(TopologyModel topology, string node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return topology.Nodes.FirstOrDefault(n => n.Name == node)?.Network ?? NodeNetwork.Empty;
    }

    public static IReadOnlyList<DesiredAddress> StaticAddresses(NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Addresses.Select(a => new DesiredAddress(a.Interface, a.Address, StaticOwner, Present: true, Reason: "static address"))];
    }

    public static IReadOnlyList<DesiredRoute> StaticRoutes(NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Routes.Select(r => new DesiredRoute(r, null, Present: true))];
    }

    public static IReadOnlyList<DesiredRule> StaticRules(NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Rules.Select(r => new DesiredRule(r, null, Present: true))];
    }

    /// <summary>Each instance's virtual routes on this node: present when MASTER, held while the role is unknown.</summary>
    public static IReadOnlyList<DesiredRoute> VrrpRoutes(TopologyModel topology, string node, RuntimeOverlay overlay)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(overlay);
        var routes = new List<DesiredRoute>();
        foreach (var instance in topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(node)))
        {
            var role = overlay.RoleOf(instance.Name);
            routes.AddRange(instance.VirtualRoutes.Select(r => new DesiredRoute(r, instance.Name, role == VrrpRole.Master, role == VrrpRole.Unknown)));
        }

        return routes;
    }

    /// <summary>Each instance's virtual rules on this node; as <see cref="VrrpRoutes"/>.</summary>
    public static IReadOnlyList<DesiredRule> VrrpRules(TopologyModel topology, string node, RuntimeOverlay overlay)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(overlay);
        var rules = new List<DesiredRule>();
        foreach (var instance in topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(node)))
        {
            var role = overlay.RoleOf(instance.Name);
            rules.AddRange(instance.VirtualRules.Select(r => new DesiredRule(r, instance.Name, role == VrrpRole.Master, role == VrrpRole.Unknown)));
        }

        return rules;
    }
}
