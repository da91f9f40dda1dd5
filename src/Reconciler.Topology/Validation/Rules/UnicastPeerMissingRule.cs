using System.Net.Sockets;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// With unicast adverts, a node whose own address is not among the peers never hears the others' adverts
/// and becomes MASTER too: the split brain unicast setups are known for. Warns for each such node (nodes
/// that list no address of the instance's family cannot be checked).
/// </summary>
public sealed class UnicastPeerMissingRule : ITopologyRule
{
    public string Code => "unicast-peer-missing";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (instance.UnicastPeers.Count == 0)
            {
                continue;
            }

            var family = VirtualRouterIdCollisionRule.FamilyOf(instance);
            foreach (var name in instance.Priorities.Keys)
            {
                if (context.Topology.FindNode(name) is not { } node)
                {
                    continue;
                }

                var own = node.Addresses.Where(a => a.AddressFamily == family).ToArray();
                if (own.Length > 0 && !own.Any(instance.UnicastPeers.Contains))
                {
                    var kind = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
                    context.Warning(Code, Pointers.Instance(i, "unicastPeers"),
                        $"node {name} takes part in '{instance.Name}' but none of its {kind} addresses ({string.Join(", ", own.Select(a => a.ToString()))}) is a unicast peer, so it never receives the others' adverts");
                }
            }
        }
    }
}
