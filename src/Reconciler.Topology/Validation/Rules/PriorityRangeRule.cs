namespace Reconciler.Topology.Validation.Rules;

/// <summary>VRRP priorities are 1..255 (0 is reserved for "master is leaving"; 255 marks the address owner),
/// and an instance needs at least one node.</summary>
public sealed class PriorityRangeRule : ITopologyRule
{
    public string Code => "priority-range";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            if (instances[i].Priorities.Count == 0)
            {
                context.Error(Code, Pointers.Instance(i, "priorities"), $"instance '{instances[i].Name}' gives no node a priority, so no node runs it");
            }

            foreach (var (node, priority) in instances[i].Priorities)
            {
                if (priority is < 1 or > 255)
                {
                    context.Error(Code, Loading.JsonPointer.Append(Pointers.Instance(i, "priorities"), node), $"priority {priority} of {node} is outside 1..255");
                }
            }
        }
    }
}
