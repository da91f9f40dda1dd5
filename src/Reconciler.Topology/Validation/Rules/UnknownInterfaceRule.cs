using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>When a node lists its interfaces, the instances it takes part in use one of them.</summary>
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
    }
}
