namespace Reconciler.Topology.Validation.Rules;

/// <summary>VRRP version is 2 or 3.</summary>
public sealed class VrrpVersionRule : ITopologyRule
{
    public string Code => "vrrp-version";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            if (instances[i].Version is not (2 or 3))
            {
                context.Error(Code, Pointers.Instance(i, "version"), $"VRRP version {instances[i].Version} does not exist; use 2 or 3");
            }
        }
    }
}
