using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>A tracked check refers to a check defined under <c>checks</c>.</summary>
public sealed class UnknownCheckRule : ITopologyRule
{
    public string Code => "unknown-check";

    public void Check(ValidationContext context)
    {
        var checks = context.Topology.Checks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            for (var t = 0; t < instances[i].TrackChecks.Count; t++)
            {
                var name = instances[i].TrackChecks[t].Check;
                if (!checks.Contains(name))
                {
                    var hint = SchemaErrorFormatter.Suggest(name, checks) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                    context.Error(Code, Pointers.Item(Pointers.Instance(i, "trackChecks"), t, "check"), $"no check is named '{name}'{hint}");
                }
            }
        }
    }
}
