using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;

namespace Reconciler.Planning.Tests;

/// <summary>Small builders for desired and observed states in tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static ServiceKey Tcp(string address, ushort port = 80) => ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port);

    public static ServiceKey Udp(string address, ushort port = 53) => ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse(address), port);

    public static IpvsService Service(ServiceKey key, string scheduler = "wrr", uint persistence = 0) => new(
        key,
        scheduler,
        persistence > 0 ? IpvsServiceFlags.Persistent : IpvsServiceFlags.None,
        persistence,
        key.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128u : uint.MaxValue,
        null);

    public static IpvsDestination Destination(string address, ushort port = 80, int weight = 1, IpvsForwarding forwarding = IpvsForwarding.DirectRoute) =>
        new(IPAddress.Parse(address), port, forwarding, weight, 0, 0);

    public static DesiredService Wanted(IpvsService service, params IpvsDestination[] destinations) =>
        new($"svc-{service.Key.Port}", service, destinations.Select(d => new DesiredDestination(d)).ToList(), []);

    public static DesiredState State(params DesiredService[] services) => new("lb1", services, []);

    public static ServiceWithDestinations Live(IpvsService service, params IpvsDestination[] destinations) =>
        new(new ServiceEntry(service, IpvsStats.Zero), destinations.Select(d => new DestinationEntry(d, 0, 0, 0, IpvsStats.Zero)).ToList());

    public static ObservedState Kernel(params ServiceWithDestinations[] services) => new(services, []);

    public static PlannerOptions Options => PlannerOptions.At(Now);

    /// <summary>The observed state the kernel would have if it held exactly <paramref name="desired"/>.</summary>
    public static ObservedState ObservedFrom(DesiredState desired) => new(
        desired.Services.Select(s => Live(s.Service, s.Destinations.Select(d => d.Destination).ToArray())).ToList(),
        desired.Addresses.Where(a => a.Present).Select(a => new ObservedAddress(a.Interface, a.Address)).ToList());
}
