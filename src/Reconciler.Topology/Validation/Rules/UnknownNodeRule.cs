using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>Priorities and interface overrides name nodes that exist.</summary>
public sealed class UnknownNodeRule : ITopologyRule
{
    public string Code => "unknown-node";

    public void Check(ValidationContext context)
    {
        var nodes = context.Topology.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            foreach (var node in instances[i].Priorities.Keys.Where(n => !nodes.Contains(n)))
            {
                context.Error(Code, JsonPointer.Append(Pointers.Instance(i, "priorities"), node), $"no node is named '{node}'{Hint(node, nodes)}", atKey: true);
            }

            foreach (var node in instances[i].InterfaceOverrides.Keys.Where(n => !nodes.Contains(n)))
            {
                context.Error(Code, JsonPointer.Append(Pointers.Instance(i, "interfaceOverrides"), node), $"no node is named '{node}'{Hint(node, nodes)}", atKey: true);
            }
        }
    }

    private static string Hint(string name, IEnumerable<string> known) =>
        SchemaErrorFormatter.Suggest(name, known) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
}
