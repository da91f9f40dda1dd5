namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// An instance is listed once in one sync group at most: a second listing, in the same group or another, is
/// reported where it is written (an instance cannot follow two groups, and listing it twice says nothing more).
/// </summary>
public sealed class SyncGroupMemberRule : ITopologyRule
{
    public string Code => "sync-group-member";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var groups = context.Topology.SyncGroups;
        var first = new Dictionary<string, (int Group, int Position)>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            for (var m = 0; m < groups[g].Instances.Count; m++)
            {
                var name = groups[g].Instances[m];
                if (!instances.Contains(name))
                {
                    continue;
                }

                if (!first.TryGetValue(name, out var earlier))
                {
                    first[name] = (g, m);
                    continue;
                }

                var at = context.FirstAt(SyncGroupMembers.Pointer(earlier.Group, earlier.Position));
                context.Error(Code, SyncGroupMembers.Pointer(g, m), earlier.Group == g
                    ? $"'{name}' is listed twice in sync group '{groups[g].Name}'{at}"
                    : $"'{name}' is already a member of sync group '{groups[earlier.Group].Name}'{at}; an instance belongs to one group at most");
            }
        }
    }
}
