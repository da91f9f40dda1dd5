using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation;

/// <summary>A sync group's member as the rules see it: where the group lists it and which instance it is.</summary>
/// <param name="Position">Its index in the group's <c>instances</c>.</param>
/// <param name="Index">Its index in the topology's <c>vrrpInstances</c>.</param>
internal sealed record SyncGroupMember(int Position, int Index, VrrpInstance Instance);

internal static class SyncGroupMembers
{
    /// <summary>The group's members that name an instance, each once (its first listing), in the group's order;
    /// unknown and repeated names are other rules' findings.</summary>
    public static List<SyncGroupMember> Of(Model.Topology topology, VrrpSyncGroup group)
    {
        var members = new List<SyncGroupMember>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var m = 0; m < group.Instances.Count; m++)
        {
            var name = group.Instances[m];
            if (!seen.Add(name))
            {
                continue;
            }

            for (var i = 0; i < topology.VrrpInstances.Count; i++)
            {
                if (topology.VrrpInstances[i].Name == name)
                {
                    members.Add(new SyncGroupMember(m, i, topology.VrrpInstances[i]));
                    break;
                }
            }
        }

        return members;
    }

    /// <summary>The pointer of the group's <paramref name="position"/>th listed instance.</summary>
    public static string Pointer(int group, int position) => Pointers.Item(Pointers.SyncGroup(group, "instances"), position);
}
