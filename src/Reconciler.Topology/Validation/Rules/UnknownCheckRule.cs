using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>A tracked check (of a VRRP instance or a sync group) refers to a check defined under <c>checks</c>.</summary>
public sealed class UnknownCheckRule : ITopologyRule
{
    public string Code => "unknown-check";

    public void Check(ValidationContext context)
    {
        var checks = context.Topology.Checks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            CheckReferences(context, checks, instances[i].TrackChecks, Pointers.Instance(i, "trackChecks"));
        }

        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            CheckReferences(context, checks, groups[g].TrackChecks, Pointers.SyncGroup(g, "trackChecks"));
        }
    }

    private void CheckReferences(ValidationContext context, HashSet<string> checks, ValueList<TrackedCheckReference> references, string pointer)
    {
        for (var t = 0; t < references.Count; t++)
        {
            var name = references[t].Check;
            if (!checks.Contains(name))
            {
                var hint = SchemaErrorFormatter.Suggest(name, checks) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                context.Error(Code, Pointers.Item(pointer, t, "check"), $"no check is named '{name}'{hint}");
            }
        }
    }
}
