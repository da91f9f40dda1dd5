using System.Net.Sockets;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Connection synchronisation the kernel can run: a node has one master and one backup sync daemon, so at most one
/// of the instances it takes part in synchronises; the group is a multicast address; the interface is one the node
/// has (when it lists them); and no service mixes address families between itself and its real servers, which the
/// kernel refuses while a sync daemon runs.
/// </summary>
public sealed class ConnectionSyncRule : ITopologyRule
{
    public string Code => "connection-sync";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        var syncingInstanceOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (instance.ConnectionSync is not { } sync)
            {
                continue;
            }

            var pointer = Pointers.Instance(i, "connectionSync");
            if (sync.Group is { } group && !IsMulticast(group))
            {
                context.Error(Code, JsonPointer.Append(pointer, "group"), $"{group} is not a multicast address (the kernel's default is 224.0.0.81)");
            }

            foreach (var nodeName in instance.Priorities.Keys)
            {
                if (syncingInstanceOf.TryGetValue(nodeName, out var first))
                {
                    context.Error(Code, pointer, $"node {nodeName} already synchronises connections for instance {instances[first].Name}{context.FirstAt(Pointers.Instance(first, "connectionSync"))}; the kernel runs one master and one backup sync daemon per node");
                }
                else
                {
                    syncingInstanceOf[nodeName] = i;
                }

                if (sync.Interface is { } name && context.Topology.FindNode(nodeName) is { Interfaces.Count: > 0 } node && !node.Interfaces.Contains(name))
                {
                    context.Error(Code, JsonPointer.Append(pointer, "interface"), $"node {nodeName} has no interface '{name}' (it has {string.Join(", ", node.Interfaces)})");
                }
            }
        }

        if (syncingInstanceOf.Count > 0)
        {
            CheckMixedFamilies(context, syncingInstanceOf, instances);
            CheckDirectorsAsRealServers(context);
        }
    }

    /// <summary>A syncing instance's services are kept on every node of it, BACKUP included; a node that is also a
    /// real server of such a service would then schedule again the packets the MASTER forwards to it.</summary>
    private void CheckDirectorsAsRealServers(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            if (service.VrrpInstance is not { } name || context.Topology.FindVrrpInstance(name) is not { ConnectionSync: not null } instance)
            {
                continue;
            }

            for (var r = 0; r < service.RealServers.Count; r++)
            {
                var address = service.RealServers[r].Address;
                var node = context.Topology.Nodes.FirstOrDefault(n => instance.Priorities.ContainsKey(n.Name) && n.Addresses.Contains(address));
                if (node is not null)
                {
                    context.Error(Code, Pointers.RealServer(s, r, "address"), $"real server {address} is director {node.Name} of instance {name}, which synchronises connections: its services are kept on every node of it, BACKUP included, and {node.Name} would schedule again what the MASTER forwards to it; use separate real servers, or drop connectionSync");
                }
            }
        }
    }

    private void CheckMixedFamilies(ValidationContext context, Dictionary<string, int> syncingInstanceOf, Model.ValueList<Model.VrrpInstance> instances)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            var family = service.Address?.AddressFamily ?? service.Family;
            for (var r = 0; r < service.RealServers.Count; r++)
            {
                if (service.RealServers[r].Address.AddressFamily == family)
                {
                    continue;
                }

                var instance = syncingInstanceOf.Values.Min();
                context.Error(Code, Pointers.RealServer(s, r, "address"), $"real server {service.RealServers[r].Address} is not of its service's family, which the kernel refuses while it synchronises connections (instance {instances[instance].Name} asks for that)");
                break;
            }
        }
    }

    private static bool IsMulticast(System.Net.IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? address.IsIPv6Multicast
        : (address.GetAddressBytes()[0] & 0xf0) == 0xe0;
}
