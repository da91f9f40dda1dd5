using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>A service bound to a VRRP instance, and a sync group's member, name an instance that exists.</summary>
public sealed class UnknownVrrpInstanceRule : ITopologyRule
{
    public string Code => "unknown-vrrp-instance";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            if (services[s].VrrpInstance is { } name && !instances.Contains(name))
            {
                context.Error(Code, Pointers.Service(s, "vrrpInstance"), $"no VRRP instance is named '{name}'{Hint(name, instances)}");
            }
        }

        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            for (var m = 0; m < groups[g].Instances.Count; m++)
            {
                var name = groups[g].Instances[m];
                if (!instances.Contains(name))
                {
                    context.Error(Code, Pointers.Item(Pointers.SyncGroup(g, "instances"), m), $"no VRRP instance is named '{name}'{Hint(name, instances)}");
                }
            }
        }
    }

    private static string Hint(string name, IEnumerable<string> known) =>
        SchemaErrorFormatter.Suggest(name, known) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
}
