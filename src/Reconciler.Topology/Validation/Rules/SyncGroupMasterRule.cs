namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Warns when the members of a sync group prefer different MASTERs (each member's highest priority, when one node
/// has it alone): the group is MASTER on one node, so one member always loses the election its priorities would
/// win, and with preemption the nodes may take the group from each other over and over. Each member is compared with
/// the group's first that has a preferred MASTER.
/// </summary>
public sealed class SyncGroupMasterRule : ITopologyRule
{
    public string Code => "sync-group-master";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            SyncGroupMember? reference = null;
            string? master = null;
            foreach (var member in SyncGroupMembers.Of(context.Topology, groups[g]))
            {
                if (PreferredMaster(member.Instance.Priorities) is not { } preferred)
                {
                    continue;
                }

                if (reference is null)
                {
                    (reference, master) = (member, preferred);
                }
                else if (preferred != master)
                {
                    context.Warning(Code, SyncGroupMembers.Pointer(g, member.Position),
                        $"'{member.Instance.Name}' prefers {preferred} as MASTER but '{reference.Instance.Name}' prefers {master}; sync group '{groups[g].Name}' is MASTER on one node, so one of them never is where its priorities say (and the nodes may take the group from each other over and over): give the members priorities in the same order");
                }
            }
        }
    }

    private static string? PreferredMaster(IReadOnlyDictionary<string, int> priorities)
    {
        var ranked = priorities.OrderByDescending(p => p.Value).ToList();
        return ranked.Count == 0 || (ranked.Count > 1 && ranked[0].Value == ranked[1].Value) ? null : ranked[0].Key;
    }
}
