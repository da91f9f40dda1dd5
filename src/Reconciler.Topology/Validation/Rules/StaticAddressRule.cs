using System.Net.Sockets;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A node's static addresses: none twice on one interface; none that is a virtual address of an instance the node
/// takes part in (the BACKUP would hold it too, and the MASTER's removal on stepping down would take the static one);
/// a label only on IPv4 (IPv6 addresses have none), starting with the interface's name as the kernel requires.
/// </summary>
public sealed class StaticAddressRule : ITopologyRule
{
    public string Code => "static-address";

    public void Check(ValidationContext context)
    {
        var nodes = context.Topology.Nodes;
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            var list = NetworkItems.NodeList(n, "addresses");
            var seen = new Dictionary<(string, System.Net.IPAddress), int>();
            for (var a = 0; a < node.Network.Addresses.Count; a++)
            {
                var address = node.Network.Addresses[a];
                var pointer = JsonPointer.Append(list, a);
                if (!seen.TryAdd((address.Interface, address.Address.Address), a))
                {
                    context.Error(Code, JsonPointer.Append(pointer, "address"), $"{address.Address.Address} is already on {address.Interface}{context.FirstAt(JsonPointer.Append(list, seen[(address.Interface, address.Address.Address)]))}");
                }

                var instance = context.Topology.VrrpInstances.FirstOrDefault(v =>
                    v.Priorities.ContainsKey(node.Name) && v.VirtualAddresses.Any(vip => vip.Address.Equals(address.Address.Address)));
                if (instance is not null)
                {
                    context.Error(Code, JsonPointer.Append(pointer, "address"), $"{address.Address.Address} is a virtual address of instance {instance.Name}, which runs on node {node.Name}: it would be there while BACKUP too, and gone after stepping down; keep it in one place");
                }

                if (address.Label is { } label)
                {
                    if (address.Address.Family == AddressFamily.InterNetworkV6)
                    {
                        context.Error(Code, JsonPointer.Append(pointer, "label"), "IPv6 addresses have no label; drop it");
                    }
                    else if (!label.StartsWith(address.Interface, StringComparison.Ordinal))
                    {
                        context.Error(Code, JsonPointer.Append(pointer, "label"), $"label '{label}' does not start with the interface's name '{address.Interface}', which the kernel requires (e.g. {address.Interface}:1)");
                    }
                }
            }
        }
    }
}
