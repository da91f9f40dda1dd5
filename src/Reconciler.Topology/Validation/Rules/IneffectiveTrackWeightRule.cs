using System.Globalization;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Warns about a tracked check or interface whose weight can never change which node is MASTER, such as a
/// weight of -15 with priorities 100 and 80 (100 - 15 = 85 is still above 80).
/// </summary>
/// <remarks>
/// A tracked item moves one node's priority by |weight| when it changes state (keepalived adds a negative
/// weight while the item is down, a positive one while it is up). It matters if, for some state of all the
/// other tracked items, toggling it on one node can reorder that node and another. Effective priorities are
/// clamped to 1..254; a priority-255 owner is never adjusted (and always wins while it is up); ties count as a
/// possible change, since the higher primary address breaks them. With <c>preempt: false</c> a backup never
/// takes over from a live master, so only weight 0 (FAULT) has an effect. Weight 0 is always effective. A sync
/// group's tracked objects count as each member's own.
/// </remarks>
public sealed class IneffectiveTrackWeightRule : ITopologyRule
{
    private const int MaxWeight = 253;

    public string Code => "ineffective-track-weight";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (context.Topology.SyncGroupOf(instance.Name) is { TrackingWeights: false })
            {
                // Its tracked objects must have weight 0: SyncGroupTrackingWeightRule reports the others.
                continue;
            }

            var items = TrackedItems(context.Topology, instance, i);
            for (var k = 0; k < items.Count; k++)
            {
                var item = items[k];
                if (item.Weight == 0 || item.Weight is < -MaxWeight or > MaxWeight)
                {
                    continue;
                }

                var others = items.Where((_, j) => j != k).Select(o => o.Weight).ToArray();
                if (!instance.Preempt)
                {
                    if (instance.Priorities.Count > 1)
                    {
                        context.Warning(Code, item.Pointer,
                            $"weight {item.Weight} of {item.Description} has no effect on '{instance.Name}' with preempt: false (a backup never takes over from a live master); use weight 0 to put it into FAULT instead");
                    }

                    continue;
                }

                if (CanChangeMaster(instance.Priorities, item.Weight, others, strict: false))
                {
                    continue;
                }

                var nonOwners = instance.Priorities.Count(p => p.Value < 255);
                if (nonOwners == 0 || instance.Priorities.Count < 2)
                {
                    continue;
                }

                var priorities = string.Join(", ", instance.Priorities.Select(p => $"{p.Key} {p.Value}"));
                var example = Example(instance.Priorities, item.Weight);
                var needed = Needed(instance.Priorities, item.Weight, others);
                var advice = needed is null
                    ? "use weight 0 to put the instance into FAULT instead"
                    : $"a weight of {needed.Value.ToString(CultureInfo.InvariantCulture)} or {(item.Weight < 0 ? "lower" : "higher")} would, or 0 puts the instance into FAULT";
                context.Warning(Code, item.Pointer,
                    $"weight {item.Weight} of {item.Description} can never change which node is MASTER of '{instance.Name}' (priorities {priorities}{example}); {advice}");
            }
        }
    }

    private sealed record Item(string Description, int Weight, string Pointer);

    private static List<Item> TrackedItems(Model.Topology topology, VrrpInstance instance, int index)
    {
        var items = new List<Item>();
        for (var t = 0; t < instance.TrackChecks.Count; t++)
        {
            var reference = instance.TrackChecks[t];
            if (topology.FindCheck(reference.Check) is not { } check)
            {
                continue;
            }

            var pointer = Pointers.Item(Pointers.Instance(index, "trackChecks"), t, reference.Weight is null ? null : "weight");
            items.Add(new Item($"check '{check.Name}'", reference.Weight ?? check.Weight, pointer));
        }

        for (var t = 0; t < instance.TrackInterfaces.Count; t++)
        {
            var tracked = instance.TrackInterfaces[t];
            items.Add(new Item($"interface '{tracked.Interface}'", tracked.Weight, Pointers.Item(Pointers.Instance(index, "trackInterfaces"), t, "weight")));
        }

        // A sync group's tracked objects count as each member's own.
        var group = topology.SyncGroups.Select((g, i) => (Group: g, Index: i)).FirstOrDefault(x => x.Group.Instances.Contains(instance.Name));
        if (group.Group is { } syncGroup)
        {
            for (var t = 0; t < syncGroup.TrackChecks.Count; t++)
            {
                var reference = syncGroup.TrackChecks[t];
                if (topology.FindCheck(reference.Check) is { } check)
                {
                    var pointer = Pointers.Item(Pointers.SyncGroup(group.Index, "trackChecks"), t, reference.Weight is null ? null : "weight");
                    items.Add(new Item($"check '{check.Name}' (tracked by sync group '{syncGroup.Name}')", reference.Weight ?? check.Weight, pointer));
                }
            }

            for (var t = 0; t < syncGroup.TrackInterfaces.Count; t++)
            {
                var tracked = syncGroup.TrackInterfaces[t];
                items.Add(new Item($"interface '{tracked.Interface}' (tracked by sync group '{syncGroup.Name}')", tracked.Weight,
                    Pointers.Item(Pointers.SyncGroup(group.Index, "trackInterfaces"), t, "weight")));
            }
        }

        return items;
    }

    private static int Clamp(int priority) => Math.Clamp(priority, 1, 254);

    /// <summary>
    /// Whether toggling an item of <paramref name="weight"/> on one node can reorder it and another node, for
    /// some state of the <paramref name="others"/>. With <paramref name="strict"/>, a tie does not count.
    /// </summary>
    internal static bool CanChangeMaster(IReadOnlyDictionary<string, int> priorities, int weight, IReadOnlyList<int> others, bool strict)
    {
        var down = others.Where(w => w < 0).Sum();
        var up = others.Where(w => w > 0).Sum();
        var low = Math.Min(weight, 0);
        var high = Math.Max(weight, 0);
        foreach (var (a, pa) in priorities)
        {
            if (pa >= 255)
            {
                continue;
            }

            foreach (var (n, pn) in priorities)
            {
                if (n == a || pn >= 255)
                {
                    continue;
                }

                // The other node's reachable priorities, this item included.
                var nLow = Clamp(pn + down + low);
                var nHigh = Clamp(pn + up + high);
                for (var x = pa + down; x <= pa + up; x++)
                {
                    var bad = Clamp(x + low);
                    var good = Clamp(x + high);
                    if (bad == good)
                    {
                        continue;
                    }

                    var overlaps = strict
                        ? nHigh > bad && nLow < good && Math.Max(nLow, bad + 1) <= Math.Min(nHigh, good - 1)
                        : nHigh >= bad && nLow <= good;
                    if (overlaps)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The weight of the same sign closest to zero that would surely change the master, if any
    /// (binary search: a larger swing only widens the overlap).</summary>
    private static int? Needed(IReadOnlyDictionary<string, int> priorities, int weight, IReadOnlyList<int> others)
    {
        var sign = Math.Sign(weight);
        int low = Math.Abs(weight) + 1, high = MaxWeight;
        if (low > high || !CanChangeMaster(priorities, sign * high, others, strict: true))
        {
            return null;
        }

        while (low < high)
        {
            var middle = (low + high) / 2;
            if (CanChangeMaster(priorities, sign * middle, others, strict: true))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return sign * low;
    }

    /// <summary>": 100-15=85 is still above 80" (or "80+15=95 is still below 100") for the top two nodes.</summary>
    private static string Example(IReadOnlyDictionary<string, int> priorities, int weight)
    {
        var ordered = priorities.Values.Where(p => p < 255).OrderDescending().Take(2).ToArray();
        if (ordered.Length < 2)
        {
            return string.Empty;
        }

        if (weight < 0 && Clamp(ordered[0] + weight) > ordered[1])
        {
            return string.Create(CultureInfo.InvariantCulture, $": {ordered[0]}{weight}={Clamp(ordered[0] + weight)} is still above {ordered[1]}");
        }

        if (weight > 0 && Clamp(ordered[1] + weight) < ordered[0])
        {
            return string.Create(CultureInfo.InvariantCulture, $": {ordered[1]}+{weight}={Clamp(ordered[1] + weight)} is still below {ordered[0]}");
        }

        return string.Empty;
    }
}
