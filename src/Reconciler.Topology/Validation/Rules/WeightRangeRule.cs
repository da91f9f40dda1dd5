using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>Real-server weights are 0..65535 (IPVS); tracked check and interface weights (of instances and sync groups) -253..253
/// (keepalived), a tracked file's -254..254 (keepalived's track_file, so that a negative value can reach FAULT).</summary>
public sealed class WeightRangeRule : ITopologyRule
{
    public string Code => "weight-range";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            for (var r = 0; r < services[s].RealServers.Count; r++)
            {
                if (services[s].RealServers[r].Weight is < 0 or > 65535)
                {
                    context.Error(Code, Pointers.RealServer(s, r, "weight"), $"weight {services[s].RealServers[r].Weight} is outside 0..65535");
                }
            }
        }

        var checks = context.Topology.Checks;
        for (var c = 0; c < checks.Count; c++)
        {
            TrackWeight(context, checks[c].Weight, Pointers.Check(c, "weight"), Limit(checks[c]));
        }

        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            for (var t = 0; t < instances[i].TrackChecks.Count; t++)
            {
                if (instances[i].TrackChecks[t].Weight is { } weight)
                {
                    TrackWeight(context, weight, Pointers.Item(Pointers.Instance(i, "trackChecks"), t, "weight"),
                        Limit(context.Topology.FindCheck(instances[i].TrackChecks[t].Check)));
                }
            }

            for (var t = 0; t < instances[i].TrackInterfaces.Count; t++)
            {
                TrackWeight(context, instances[i].TrackInterfaces[t].Weight, Pointers.Item(Pointers.Instance(i, "trackInterfaces"), t, "weight"));
            }
        }

        var groups = context.Topology.SyncGroups;
        for (var g = 0; g < groups.Count; g++)
        {
            for (var t = 0; t < groups[g].TrackChecks.Count; t++)
            {
                if (groups[g].TrackChecks[t].Weight is { } weight)
                {
                    TrackWeight(context, weight, Pointers.Item(Pointers.SyncGroup(g, "trackChecks"), t, "weight"),
                        Limit(context.Topology.FindCheck(groups[g].TrackChecks[t].Check)));
                }
            }

            for (var t = 0; t < groups[g].TrackInterfaces.Count; t++)
            {
                TrackWeight(context, groups[g].TrackInterfaces[t].Weight, Pointers.Item(Pointers.SyncGroup(g, "trackInterfaces"), t, "weight"));
            }
        }
    }

    private void TrackWeight(ValidationContext context, int weight, string pointer, int limit = 253)
    {
        if (weight < -limit || weight > limit)
        {
            context.Error(Code, pointer, $"weight {weight} is outside -{limit}..{limit}");
        }
    }

    private static int Limit(Model.TrackedCheck? check) => check?.File is null ? 253 : 254;
}
