using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>The scheduler is one the kernel has.</summary>
public sealed class SchedulerRule : ITopologyRule
{
    public string Code => "scheduler";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var scheduler = services[s].Scheduler;
            if (!ModelText.Schedulers.Contains(scheduler))
            {
                var hint = SchemaErrorFormatter.Suggest(scheduler, ModelText.Schedulers) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                context.Error(Code, Pointers.Service(s, "scheduler"), $"'{scheduler}' is not an IPVS scheduler{hint}");
            }
        }
    }
}
