using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>When a node lists its interfaces, the instances it takes part in use one of them, and so do the routes,
/// rules and static addresses it holds (its own, and those of each instance it takes part in).</summary>
public sealed class UnknownInterfaceRule : ITopologyRule
{
    public string Code => "unknown-interface";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            foreach (var nodeName in instance.Priorities.Keys)
            {
                if (context.Topology.FindNode(nodeName) is not { Interfaces.Count: > 0 } node)
                {
                    continue;
                }

                var name = instance.InterfaceFor(nodeName);
                if (!node.Interfaces.Contains(name))
                {
                    var overridden = instance.InterfaceOverrides.ContainsKey(nodeName);
                    var pointer = overridden
                        ? JsonPointer.Append(Pointers.Instance(i, "interfaceOverrides"), nodeName)
                        : Pointers.Instance(i, "interface");
                    var advice = overridden ? string.Empty : "; give it an entry in interfaceOverrides";
                    context.Error(Code, pointer, $"node {nodeName} has no interface '{name}' (it has {string.Join(", ", node.Interfaces)}){advice}");
                }
            }
        }

        CheckNetwork(context);
    }

    private void CheckNetwork(ValidationContext context)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var nodes = context.Topology.Nodes;
        for (var n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (node.Interfaces.Count == 0)
            {
                continue;
            }

            void Check(string? name, string pointer)
            {
                if (name is not null && !node.Interfaces.Contains(name) && reported.Add(pointer))
                {
                    context.Error(Code, pointer, $"node {node.Name} has no interface '{name}' (it has {string.Join(", ", node.Interfaces)})");
                }
            }

            for (var a = 0; a < node.Network.Addresses.Count; a++)
            {
                Check(node.Network.Addresses[a].Interface, JsonPointer.Append(JsonPointer.Append(NetworkItems.NodeList(n, "addresses"), a), "interface"));
            }

            foreach (var route in NetworkItems.RoutesOn(context.Topology, n))
            {
                Check(route.Item.Interface, route.At("dev"));
            }

            foreach (var rule in NetworkItems.RulesOn(context.Topology, n))
            {
                Check(rule.Item.InputInterface, rule.At("iif"));
                Check(rule.Item.OutputInterface, rule.At("oif"));
            }
        }
    }
}
