using System.Globalization;

namespace Reconciler.GitSource.Diff;

/// <summary>
/// A node's change in Terraform's words (<c>1 to add, 2 to change, 0 to destroy</c>). The things counted are the
/// kernel objects the node's desired state is made of, each as the plan handles it: an IPVS service, a destination
/// (real server) of one, the node's part in a VRRP instance, a connection-sync daemon.
/// <list type="bullet">
/// <item>Added: one to add, and an added IPVS service's destinations one each (each is its own netlink call).</item>
/// <item>Changed: one to change when the object's own fields change; a service whose own fields stay is not
/// counted, only its destinations that change, come or go.</item>
/// <item>Removed: one to destroy; a removed IPVS service is one (the kernel deletes its destinations with it).</item>
/// </list>
/// </summary>
public sealed record ChangeCounts(int ToAdd, int ToChange, int ToDestroy)
{
    public bool IsEmpty => ToAdd == 0 && ToChange == 0 && ToDestroy == 0;

    public static ChangeCounts Of(NodeDiff node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var all = node.Changes.SelectMany(Flatten).ToList();
        return new ChangeCounts(
            all.Count(c => c.Action == DiffAction.Added),
            all.Count(c => c.Action == DiffAction.Changed && c.Changes.Count > 0),
            all.Count(c => c.Action == DiffAction.Removed));
    }

    private static IEnumerable<DiffEntry> Flatten(DiffEntry entry) => entry.Children.SelectMany(Flatten).Prepend(entry);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ToAdd} to add, {ToChange} to change, {ToDestroy} to destroy");
}
