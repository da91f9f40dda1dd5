using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>
/// The one function for the whole node's desired state, called by <c>plan</c>, <c>apply</c> and the agent with the
/// same inputs: this node's part of the topology with the runtime overlay (VRRP roles, health) layered on it.
/// Services apply to every node, except those bound to a VRRP instance: they exist only where the node is MASTER of
/// it (and are held as they are while the role is not known yet), unless the instance synchronises connections: then
/// on every node of it. A node that is an LVS-DR real server of a service
/// gets its VIP on <c>lo</c> and the ARP parameters (<see cref="DirectRoutingRealServer"/>). The node's own static
/// addresses, routes and rules are the plan's; the instances' virtual routes and rules are shown like their addresses
/// (<see cref="NodeNetworkState"/>).
/// </summary>
public static class DesiredStateBuilder
{
    public static DesiredState Build(TopologyModel topology, string node, RuntimeOverlay overlay)
    {
        var services = new List<DesiredService>(topology.Services.Count);
        var instances = InstancesByName(topology);
        foreach (var service in topology.Services.AsSpan())
        {
            var onlyIfPresent = false;
            if (service.VrrpInstance is { } instanceName)
            {
                var instance = instances.GetValueOrDefault(instanceName);
                if (instance is null || !instance.Priorities.ContainsKey(node))
                {
                    continue;
                }

                // An instance that synchronises connections keeps its services on every node of it, whatever the role
                // (as keepalived keeps its virtual servers): the connections a BACKUP receives are bound to them and
                // forwarded the instant the VIP arrives. Without one, a takeover found the kernel's IPVS hooks
                // unregistered (no service in the namespace): the synced connections' packets reached the local
                // stack, which reset them.
                var role = overlay.RoleOf(instanceName);
                if (instance.ConnectionSync is null)
                {
                    if (role is VrrpRole.Backup or VrrpRole.Fault)
                    {
                        continue;
                    }

                    onlyIfPresent = role == VrrpRole.Unknown;
                }
            }

            var health = overlay.Health.GetService(service.Name);
            if (health.Withdrawn)
            {
                continue;
            }

            services.Add(BuildService(service, overlay.Health, health, onlyIfPresent));
        }

        var vrrpAddresses = new List<DesiredAddress>();
        foreach (var instance in topology.VrrpInstances.AsSpan())
        {
            if (!instance.Priorities.ContainsKey(node))
            {
                continue;
            }

            var role = overlay.RoleOf(instance.Name);
            foreach (var address in instance.VirtualAddresses)
            {
                vrrpAddresses.Add(new DesiredAddress(instance.InterfaceFor(node), address, instance.Name, role == VrrpRole.Master, Held: role == VrrpRole.Unknown));
            }
        }

        var loopback = DirectRoutingRealServer.LoopbackAddresses(topology, node);
        var syncDaemons = ConnectionSyncDaemons.For(topology, node);
        var network = NodeNetworkState.Of(topology, node);
        return new DesiredState(node, services, [.. NodeNetworkState.StaticAddresses(network), .. loopback])
        {
            VrrpAddresses = vrrpAddresses,
            Routes = NodeNetworkState.StaticRoutes(network),
            Rules = NodeNetworkState.StaticRules(network),
            VrrpRoutes = NodeNetworkState.VrrpRoutes(topology, node, overlay),
            VrrpRules = NodeNetworkState.VrrpRules(topology, node, overlay),
            Sysctls = [.. loopback.Count > 0 ? DirectRoutingRealServer.ArpSysctls : [], .. syncDaemons.Count > 0 ? [ConnectionSyncDaemons.SloppyTcp] : Array.Empty<DesiredSysctl>()],
            SyncDaemons = syncDaemons,
        };
    }

    /// <summary>Every kernel parameter a desired state may hold: what a reconcile reads.</summary>
    public static IReadOnlyList<string> ManagedSysctlNames { get; } = [.. DirectRoutingRealServer.SysctlNames, ConnectionSyncDaemons.SloppyTcp.Name];

    /// <summary>The instances by name, for the services bound to one (the first of a name wins, as a search would).</summary>
    private static Dictionary<string, VrrpInstance> InstancesByName(TopologyModel topology)
    {
        var instances = new Dictionary<string, VrrpInstance>(topology.VrrpInstances.Count, StringComparer.Ordinal);
        foreach (var instance in topology.VrrpInstances.AsSpan())
        {
            instances.TryAdd(instance.Name, instance);
        }

        return instances;
    }

    private static DesiredService BuildService(VirtualService service, IHealthOverlay healthOverlay, ServiceHealth health, bool onlyIfPresent)
    {
        var ipvsService = IpvsMapping.ServiceOf(service);
        var realServers = service.RealServers.AsSpan();
        List<DestinationRemoval>? removals = null;
        if (health.SorryServerActive && service.SorryServer is { } sorry)
        {
            removals = new List<DestinationRemoval>(realServers.Length);
            foreach (var server in realServers)
            {
                removals.Add(new DestinationRemoval(server.Address, (ushort)server.Port, health.Reason ?? "sorry server active"));
            }

            DesiredDestination[] sorryOnly = [new DesiredDestination(IpvsMapping.DestinationOf(service, sorry), health.Reason ?? "sorry server: every real server is down")];
            return new DesiredService(service.Name, ipvsService, sorryOnly, removals, onlyIfPresent);
        }

        var destinations = new List<DesiredDestination>(realServers.Length);
        foreach (var server in realServers)
        {
            var serverHealth = healthOverlay.Get(service.Name, server.Address, server.Port);
            if (!serverHealth.Present)
            {
                removals ??= [];
                removals.Add(new DestinationRemoval(server.Address, (ushort)server.Port, serverHealth.Reason ?? "health: down"));
                continue;
            }

            var weight = serverHealth.Weight ?? server.Weight;
            destinations.Add(new DesiredDestination(
                IpvsMapping.DestinationOf(service, server, weight),
                weight != server.Weight ? serverHealth.Reason : null));
        }

        return new DesiredService(service.Name, ipvsService, destinations, removals ?? (IReadOnlyList<DestinationRemoval>)[], onlyIfPresent);
    }
}
