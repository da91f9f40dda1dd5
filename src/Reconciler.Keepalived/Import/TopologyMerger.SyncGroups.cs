using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class TopologyMerger
{
    /// <summary>
    /// A sync group is one for every node: the nodes that define it must agree on its members and settings, and a
    /// node with one of its members must have it too, or that node's instance would fail over on its own while the
    /// others' fail over together. A tracked script no file of a node defines is dropped, as for an instance.
    /// </summary>
    private List<VrrpSyncGroup> MergeSyncGroups(IReadOnlyList<NodeInput> nodes, List<TrackedCheck> checks)
    {
        var order = new List<string>();
        var byName = new Dictionary<string, List<(NodeInput Node, SyncGroupConfig Group)>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var group in node.Config.SyncGroups)
            {
                if (!byName.TryGetValue(group.Group.Name, out var list))
                {
                    byName[group.Group.Name] = list = [];
                    order.Add(group.Group.Name);
                }

                list.Add((node, group));
            }
        }

        var result = new List<VrrpSyncGroup>();
        var checkNames = checks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var defined = byName[name];
            var (firstNode, first) = defined[0];
            var what = $"vrrp_sync_group {name}";
            foreach (var (node, group) in defined.Skip(1))
            {
                var (a, b) = (Comparable(first.Group), Comparable(group.Group));
                if (!a.Equals(b))
                {
                    Contradiction(what, node.Name, firstNode.Name, first.Location, Differences(a, b), group.Location);
                }
            }

            foreach (var node in nodes.Where(n => !defined.Any(d => d.Node == n)))
            {
                if (node.Config.Instances.FirstOrDefault(i => first.Group.Instances.Contains(i.Name)) is { } member)
                {
                    Contradiction(
                        what,
                        node.Name,
                        firstNode.Name,
                        first.Location,
                        [$"instances (this node's configuration has vrrp_instance {member.Name} in no group of two or more, so here it would fail over on its own)"],
                        member.Location);
                }
            }

            foreach (var (node, group) in defined)
            {
                WarnOfUnknownChecks(what, node, group.TrackScripts, checkNames.Contains, t => checkNames.Contains(t.Check));
            }

            result.Add(first.Group with { TrackChecks = first.Group.TrackChecks.Where(t => checkNames.Contains(t.Check)).ToValueList() });
        }

        return result;
    }

    /// <summary>The group with its members in one order: keepalived does not care in which order they are listed.</summary>
    private static VrrpSyncGroup Comparable(VrrpSyncGroup group) =>
        group with { Instances = group.Instances.Order(StringComparer.Ordinal).ToValueList() };
}
