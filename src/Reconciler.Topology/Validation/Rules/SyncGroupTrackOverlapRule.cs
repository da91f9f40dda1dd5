using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A check or interface is tracked either by a sync group or by its members, not both: the group's tracking counts
/// as each member's own, so a member tracking the same object again would leave it unclear which weight counts.
/// Reported at the group's reference, naming the member.
/// </summary>
public sealed class SyncGroupTrackOverlapRule : ITopologyRule
{
    public string Code => "sync-group-track-overlap";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var members = SyncGroupMembers.Of(context.Topology, group);
            for (var t = 0; t < group.TrackChecks.Count; t++)
            {
                var name = group.TrackChecks[t].Check;
                Report(context, group, members, Pointers.Item(Pointers.SyncGroup(g, "trackChecks"), t), $"check '{name}'", "trackChecks",
                    instance => instance.TrackChecks.Select(c => c.Check).ToList().IndexOf(name));
            }

            for (var t = 0; t < group.TrackInterfaces.Count; t++)
            {
                var name = group.TrackInterfaces[t].Interface;
                Report(context, group, members, Pointers.Item(Pointers.SyncGroup(g, "trackInterfaces"), t), $"interface '{name}'", "trackInterfaces",
                    instance => instance.TrackInterfaces.Select(i => i.Interface).ToList().IndexOf(name));
            }
        }
    }

    private void Report(
        ValidationContext context,
        VrrpSyncGroup group,
        List<SyncGroupMember> members,
        string pointer,
        string what,
        string property,
        Func<VrrpInstance, int> find)
    {
        foreach (var member in members)
        {
            var index = find(member.Instance);
            if (index < 0)
            {
                continue;
            }

            var at = context.Sources.Find(Pointers.Item(Pointers.Instance(member.Index, property), index)) is { } location ? $" (at {location})" : string.Empty;
            context.Error(Code, pointer,
                $"{what} is tracked both by sync group '{group.Name}' and by its member '{member.Instance.Name}'{at}, so which weight counts is unclear; track it in one place");
        }
    }
}
