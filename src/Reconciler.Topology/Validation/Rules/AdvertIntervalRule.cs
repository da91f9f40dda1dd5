namespace Reconciler.Topology.Validation.Rules;

/// <summary>The advert interval field is whole seconds 1..255 in VRRPv2 and centiseconds 1..4095 in VRRPv3.</summary>
public sealed class AdvertIntervalRule : ITopologyRule
{
    public string Code => "advert-interval";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var interval = instance.AdvertInterval;
            var text = Durations.Format(interval);
            if (instance.Version == 2 && (interval.Ticks % TimeSpan.TicksPerSecond != 0 || interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromSeconds(255)))
            {
                context.Error(Code, Pointers.Instance(i, "advertInterval"), $"advert interval {text} is not whole seconds 1s..255s, as VRRP version 2 requires");
            }
            else if (instance.Version == 3 && (interval.Ticks % (10 * TimeSpan.TicksPerMillisecond) != 0 || interval < TimeSpan.FromMilliseconds(10) || interval > TimeSpan.FromMilliseconds(40_950)))
            {
                context.Error(Code, Pointers.Instance(i, "advertInterval"), $"advert interval {text} is not a multiple of 10ms in 10ms..40.95s, as VRRP version 3 requires");
            }
        }
    }
}
