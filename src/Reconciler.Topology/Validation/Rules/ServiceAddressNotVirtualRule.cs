using System.Net;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Warns when a service's address is no VRRP instance's virtual address (then nothing moves it between
/// directors), or not one of the instance the service is bound to.
/// </summary>
public sealed class ServiceAddressNotVirtualRule : ITopologyRule
{
    public string Code => "service-address-not-virtual";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            if (services[s].Address is not { } address)
            {
                continue;
            }

            if (services[s].VrrpInstance is { } bound && context.Topology.FindVrrpInstance(bound) is { } instance)
            {
                if (!Carries(instance, address))
                {
                    context.Warning(Code, Pointers.Service(s, "address"), $"{address} is not a virtual address of '{instance.Name}', which the service is bound to");
                }
            }
            else if (!instances.Any(i => Carries(i, address)))
            {
                context.Warning(Code, Pointers.Service(s, "address"), $"{address} is no VRRP instance's virtual address, so no director takes it over on failure");
            }
        }
    }

    private static bool Carries(Model.VrrpInstance instance, IPAddress address) =>
        instance.VirtualAddresses.Any(v => v.Address.Equals(address));
}
