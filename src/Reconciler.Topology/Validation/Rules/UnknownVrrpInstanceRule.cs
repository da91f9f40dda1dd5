using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>A service bound to a VRRP instance names one that exists.</summary>
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
                var hint = SchemaErrorFormatter.Suggest(name, instances) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                context.Error(Code, Pointers.Service(s, "vrrpInstance"), $"no VRRP instance is named '{name}'{hint}");
            }
        }
    }
}
