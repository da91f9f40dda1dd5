using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Observed;

namespace Reconciler.Agent.Status;

/// <summary>
/// What <c>/status</c> shows of the kernel after a reconcile: which services it holds and each real server's weight,
/// indexed by service. The agent keeps this instead of the whole observed state: at 10,000 services x 10 the dump
/// with its statistics is tens of MB that nothing reads, and a service looked up by scanning it made /status
/// quadratic in the number of services.
/// </summary>
public sealed class KernelWeights
{
    private readonly Dictionary<ServiceKey, KernelDestination[]> _services;

    private KernelWeights(Dictionary<ServiceKey, KernelDestination[]> services) => _services = services;

    public int ServiceCount => _services.Count;

    public static KernelWeights Of(ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var services = new Dictionary<ServiceKey, KernelDestination[]>(observed.Services.Count);
        foreach (var service in observed.Services)
        {
            var destinations = new KernelDestination[service.Destinations.Count];
            for (int i = 0; i < destinations.Length; i++)
            {
                var destination = service.Destinations[i].Destination;
                destinations[i] = new KernelDestination(destination.Address, destination.Port, destination.Weight);
            }

            services[service.Service.Key] = destinations;
        }

        return new KernelWeights(services);
    }

    public bool Holds(ServiceKey service) => _services.ContainsKey(service);

    /// <summary>The kernel's weight of one real server of <paramref name="service"/>; null when either is not there.</summary>
    public int? WeightOf(ServiceKey service, IPAddress address, int port)
    {
        if (!_services.TryGetValue(service, out var destinations))
        {
            return null;
        }

        foreach (var destination in destinations)
        {
            if (destination.Port == port && destination.Address.Equals(address))
            {
                return destination.Weight;
            }
        }

        return null;
    }
}

/// <summary>One real server as the kernel holds it, for <see cref="KernelWeights"/>.</summary>
public readonly record struct KernelDestination(IPAddress Address, int Port, int Weight);
