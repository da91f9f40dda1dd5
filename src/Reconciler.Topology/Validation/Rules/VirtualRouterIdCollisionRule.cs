using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Two instances with the same VRID and address family on the same interface of a node fight over one
/// virtual MAC: each node's interface (after overrides) carries a VRID once per family.
/// </summary>
public sealed class VirtualRouterIdCollisionRule : ITopologyRule
{
    public string Code => "vrid-collision";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        var reported = new HashSet<int>();
        var owners = new Dictionary<(string Node, string Interface, int Vrid, AddressFamily Family), int>();
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            foreach (var node in instance.Priorities.Keys)
            {
                var key = (node, instance.InterfaceFor(node), instance.VirtualRouterId, FamilyOf(instance));
                if (owners.TryGetValue(key, out var other) && other != i)
                {
                    if (reported.Add(i))
                    {
                        var family = key.Item4 == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
                        context.Error(Code, Pointers.Instance(i, "virtualRouterId"),
                            $"VRID {instance.VirtualRouterId} of '{instance.Name}' is already used by '{instances[other].Name}' on {node} {key.Item2} ({family}){context.FirstAt(Pointers.Instance(other, "virtualRouterId"))}");
                    }
                }
                else
                {
                    owners[key] = i;
                }
            }
        }
    }

    /// <summary>An instance's family is that of its first virtual address (IPv4 when it has none).</summary>
    internal static AddressFamily FamilyOf(VrrpInstance instance) =>
        instance.VirtualAddresses.Count > 0 ? instance.VirtualAddresses[0].Family : AddressFamily.InterNetwork;
}
