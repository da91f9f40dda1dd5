using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Validation.Rules;

/// <summary><c>sh-*</c> flags belong to the sh scheduler and <c>mh-*</c> flags to mh; <c>flag-N</c> are raw bits any scheduler may read.</summary>
public sealed class SchedulerFlagRule : ITopologyRule
{
    public string Code => "scheduler-flag";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            for (var f = 0; f < service.SchedulerFlags.Count; f++)
            {
                var flag = service.SchedulerFlags[f];
                var pointer = Pointers.Item(Pointers.Service(s, "schedulerFlags"), f);
                if (!ModelText.SchedulerFlags.Contains(flag))
                {
                    context.Error(Code, pointer, $"'{flag}' is not a scheduler flag ({string.Join(", ", ModelText.SchedulerFlags)})");
                }
                else if (flag.StartsWith("sh-", StringComparison.Ordinal) && service.Scheduler != "sh"
                         || flag.StartsWith("mh-", StringComparison.Ordinal) && service.Scheduler != "mh")
                {
                    context.Error(Code, pointer, $"flag {flag} is for the {flag[..2]} scheduler, not {service.Scheduler}");
                }
            }
        }
    }
}
