namespace Reconciler.Topology.Validation.Rules;

/// <summary>A VRID is 1..255.</summary>
public sealed class VirtualRouterIdRangeRule : ITopologyRule
{
    public string Code => "vrid-range";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            if (instances[i].VirtualRouterId is < 1 or > 255)
            {
                context.Error(Code, Pointers.Instance(i, "virtualRouterId"), $"virtual router id {instances[i].VirtualRouterId} is outside 1..255");
            }
        }
    }
}
