using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Unless a sync group sets <c>trackingWeights: true</c> (keepalived's <c>sync_group_tracking_weight</c>), what its
/// members track, and what it tracks for them, has weight 0: a failure puts the whole group into FAULT. keepalived
/// silently sets such weights to 0 ("when instances are grouped, any track scripts/files configured against member
/// VRRP instances will have their tracking weights automatically set to zero"); a topology says what happens, so a
/// non-zero weight (a reference's, else the check's own) is an error here.
/// </summary>
public sealed class SyncGroupTrackingWeightRule : ITopologyRule
{
    private const string Why = "without trackingWeights a tracked failure puts the whole group into FAULT (weight 0; keepalived sets it to 0 silently)";

    private const string Advice = "write weight: 0 on the reference, or set trackingWeights: true on the group";

    public string Code => "sync-group-tracking-weight";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        var checkedInstances = new HashSet<int>();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group.TrackingWeights)
            {
                continue;
            }

            CheckItems(context, group.TrackChecks, group.TrackInterfaces, p => Pointers.SyncGroup(g, p), $"tracked by sync group '{group.Name}'");
            foreach (var member in SyncGroupMembers.Of(context.Topology, group).Where(m => checkedInstances.Add(m.Index)))
            {
                CheckItems(context, member.Instance.TrackChecks, member.Instance.TrackInterfaces, p => Pointers.Instance(member.Index, p),
                    $"tracked by '{member.Instance.Name}' (in sync group '{group.Name}')");
            }
        }
    }

    private void CheckItems(
        ValidationContext context,
        ValueList<TrackedCheckReference> checks,
        ValueList<TrackedInterface> interfaces,
        Func<string, string> owner,
        string trackedBy)
    {
        for (var t = 0; t < checks.Count; t++)
        {
            var reference = checks[t];
            if (context.Topology.FindCheck(reference.Check) is not { } check)
            {
                continue;
            }

            var weight = reference.Weight ?? check.Weight;
            if (weight != 0)
            {
                var pointer = Pointers.Item(owner("trackChecks"), t, reference.Weight is null ? null : "weight");
                var whose = reference.Weight is null ? " (the check's own)" : string.Empty;
                context.Error(Code, pointer, $"check '{check.Name}' {trackedBy} has weight {weight}{whose}; {Why}: {Advice}");
            }
        }

        for (var t = 0; t < interfaces.Count; t++)
        {
            if (interfaces[t].Weight != 0)
            {
                context.Error(Code, Pointers.Item(owner("trackInterfaces"), t, "weight"),
                    $"interface '{interfaces[t].Interface}' {trackedBy} has weight {interfaces[t].Weight}; {Why}: {Advice}");
            }
        }
    }
}
