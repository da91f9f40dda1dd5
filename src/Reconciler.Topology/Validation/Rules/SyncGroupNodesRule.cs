namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// The members of a sync group run on the same nodes (their <c>priorities</c> name the same nodes): on a node
/// running only some of them the group could not be MASTER, BACKUP or FAULT as a whole. Each member is compared
/// with the group's first.
/// </summary>
public sealed class SyncGroupNodesRule : ITopologyRule
{
    public string Code => "sync-group-nodes";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            var members = SyncGroupMembers.Of(context.Topology, groups[g]);
            if (members.Count < 2)
            {
                continue;
            }

            var reference = members[0].Instance;
            var nodes = reference.Priorities.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var member in members.Skip(1))
            {
                var own = member.Instance.Priorities.Keys.ToHashSet(StringComparer.Ordinal);
                var lacks = nodes.Where(n => !own.Contains(n)).Order(StringComparer.Ordinal).ToArray();
                var extra = own.Where(n => !nodes.Contains(n)).Order(StringComparer.Ordinal).ToArray();
                if (lacks.Length == 0 && extra.Length == 0)
                {
                    continue;
                }

                var differences = new List<string>();
                if (lacks.Length > 0)
                {
                    differences.Add($"does not run on {string.Join(", ", lacks)}");
                }

                if (extra.Length > 0)
                {
                    differences.Add($"runs on {string.Join(", ", extra)} too");
                }

                context.Error(Code, SyncGroupMembers.Pointer(g, member.Position),
                    $"'{member.Instance.Name}' {string.Join(" and ", differences)}, unlike '{reference.Name}'; the members of sync group '{groups[g].Name}' must run on the same nodes (their priorities name the same nodes)");
            }
        }
    }
}
