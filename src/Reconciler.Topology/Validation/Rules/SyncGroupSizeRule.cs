namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A sync group has two or more members. keepalived only warns about a group of one ("this probably isn't what you
/// want"); it makes nothing fail over together, so here it is an error.
/// </summary>
public sealed class SyncGroupSizeRule : ITopologyRule
{
    public string Code => "sync-group-size";

    public void Check(ValidationContext context)
    {
        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            var members = groups[g].Instances.Distinct(StringComparer.Ordinal).ToArray();
            if (members.Length < 2)
            {
                var has = members.Length == 0 ? "no member" : $"one member ('{members[0]}')";
                context.Error(Code, Pointers.SyncGroup(g, "instances"),
                    $"sync group '{groups[g].Name}' has {has}; a group makes two or more VRRP instances fail over together");
            }
        }
    }
}
