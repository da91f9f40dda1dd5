namespace Reconciler.Topology.Validation.Rules;

/// <summary>keepalived accepts a preempt delay of 0..1000 s.</summary>
public sealed class PreemptDelayRule : ITopologyRule
{
    public string Code => "preempt-delay";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var delay = instances[i].PreemptDelay;
            if (delay < TimeSpan.Zero || delay > TimeSpan.FromSeconds(1000))
            {
                context.Error(Code, Pointers.Instance(i, "preemptDelay"), $"preempt delay {Durations.Format(delay)} is outside 0s..1000s");
            }
            else if (delay > TimeSpan.Zero && !instances[i].Preempt)
            {
                context.Warning(Code, Pointers.Instance(i, "preemptDelay"), "a preempt delay has no effect with preempt: false");
            }
        }
    }
}
