using System.Buffers.Binary;
using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Observed;

namespace Reconciler.Agent.Status;

/// <summary>
/// What <c>/status</c> shows of the kernel after a reconcile: which services it holds and each real server's weight,
/// indexed by service. The agent keeps this instead of the whole observed state: at 10,000 services x 10 the dump
/// with its statistics is tens of MB that nothing reads, and a service looked up by scanning it made /status
/// quadratic in the number of services. A real server is kept as a value (its address packed in two integers), not
/// as the dump's <see cref="IPAddress"/> object: 32 bytes (with its connection counts) in one array per service
/// instead of 56 in two objects.
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
                var entry = service.Destinations[i];
                destinations[i] = KernelDestination.Of(entry.Destination.Address, entry.Destination.Port, entry.Destination.Weight)
                    with { ActiveConnections = entry.ActiveConnections, InactiveConnections = entry.InactiveConnections };
            }

            services[service.Service.Key] = destinations;
        }

        return new KernelWeights(services);
    }

    public bool Holds(ServiceKey service) => _services.ContainsKey(service);

    /// <summary>The kernel's weight of one real server of <paramref name="service"/>; null when either is not there.</summary>
    public int? WeightOf(ServiceKey service, IPAddress address, int port) => Find(service, address, port)?.Weight;

    /// <summary>One real server's active and inactive connections as the kernel counted them at the last read (a
    /// reconcile or drift check); null when the service or the real server is not there.</summary>
    public (uint Active, uint Inactive)? ConnectionsOf(ServiceKey service, IPAddress address, int port) =>
        Find(service, address, port) is { } found ? (found.ActiveConnections, found.InactiveConnections) : null;

    private KernelDestination? Find(ServiceKey service, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_services.TryGetValue(service, out var destinations))
        {
            return null;
        }

        var wanted = KernelDestination.Of(address, port, 0);
        foreach (var destination in destinations)
        {
            if (destination.SameEndpoint(wanted))
            {
                return destination;
            }
        }

        return null;
    }
}

/// <summary>One real server as the kernel holds it, for <see cref="KernelWeights"/>: the address's 4 or 16 bytes
/// packed big-endian into <paramref name="High"/> and <paramref name="Low"/> (IPv4 in <paramref name="Low"/>), the
/// family and port in <paramref name="FamilyAndPort"/> (bit 16 set for IPv6), so an IPv4 address never equals an
/// IPv6 one; with the connections the kernel counted.</summary>
internal readonly record struct KernelDestination(ulong High, ulong Low, int FamilyAndPort, int Weight)
{
    public uint ActiveConnections { get; init; }

    public uint InactiveConnections { get; init; }

    public static KernelDestination Of(IPAddress address, int port, int weight)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"cannot read address {address}", nameof(address));
        }

        if (written == 4)
        {
            return new KernelDestination(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), port & 0xFFFF, weight);
        }

        return new KernelDestination(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), (port & 0xFFFF) | 0x10000, weight);
    }

    public bool SameEndpoint(KernelDestination other) => High == other.High && Low == other.Low && FamilyAndPort == other.FamilyAndPort;
}
