namespace Reconciler.Topology.Validation.Rules;

/// <summary>Nodes, checks, VRRP instances, sync groups and services are referred to by name: each name once per kind.</summary>
public sealed class DuplicateNameRule : ITopologyRule
{
    public string Code => "duplicate-name";

    public void Check(ValidationContext context)
    {
        var topology = context.Topology;
        CheckNames(context, "node", topology.Nodes.Select(n => n.Name).ToArray(), i => Pointers.Node(i, "name"));
        CheckNames(context, "check", topology.Checks.Select(c => c.Name).ToArray(), i => Pointers.Check(i, "name"));
        CheckNames(context, "VRRP instance", topology.VrrpInstances.Select(v => v.Name).ToArray(), i => Pointers.Instance(i, "name"));
        CheckNames(context, "VRRP sync group", topology.SyncGroups.Select(g => g.Name).ToArray(), i => Pointers.SyncGroup(i, "name"));
        CheckNames(context, "service", topology.Services.Select(s => s.Name).ToArray(), i => Pointers.Service(i, "name"));
    }

    private void CheckNames(ValidationContext context, string kind, string[] names, Func<int, string> pointer)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!first.TryAdd(names[i], i))
            {
                context.Error(Code, pointer(i), $"duplicate {kind} name '{names[i]}'{context.FirstAt(pointer(first[names[i]]))}");
            }
        }
    }
}
