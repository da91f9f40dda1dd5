using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// On each node either every member of a sync group is the address owner (priority 255) or none is. An owner
/// takes MASTER at once and never waits, which a group's member must be able to do (keepalived: "Sync group has
/// some member(s) as address owner and some not as address owner. This won't work.").
/// </summary>
public sealed class SyncGroupAddressOwnerRule : ITopologyRule
{
    private const int Owner = 255;

    public string Code => "sync-group-address-owner";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            var members = SyncGroupMembers.Of(context.Topology, groups[g]);
            var nodes = members.SelectMany(m => m.Instance.Priorities.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                var running = members.Where(m => m.Instance.Priorities.ContainsKey(node)).ToList();
                var owners = running.Where(m => m.Instance.Priorities[node] == Owner).ToList();
                var others = running.Where(m => m.Instance.Priorities[node] != Owner).ToList();
                if (owners.Count == 0 || others.Count == 0)
                {
                    continue;
                }

                var notOwners = string.Join(", ", others.Select(m => $"'{m.Instance.Name}' (priority {m.Instance.Priorities[node]})"));
                foreach (var owner in owners)
                {
                    context.Error(Code, JsonPointer.Append(Pointers.Instance(owner.Index, "priorities"), node),
                        $"'{owner.Instance.Name}' is the address owner (priority 255) on {node} but {notOwners} {(others.Count == 1 ? "is" : "are")} not; in sync group '{groups[g].Name}' every member or none is the address owner on a node (keepalived: this won't work)");
                }
            }
        }
    }
}
