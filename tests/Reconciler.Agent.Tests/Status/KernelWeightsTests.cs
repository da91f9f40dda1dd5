using System.Net;
using Reconciler.Agent.Status;
using Reconciler.Ipvs;
using Reconciler.Planning.Observed;

namespace Reconciler.Agent.Tests.Status;

public sealed class KernelWeightsTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);
    private static readonly ServiceKey Dns = ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("10.0.0.100"), 53);

    [Fact]
    public void Of_ObservedState_EveryServiceAndRealServerWeightFound()
    {
        var observed = new ObservedState(
            [
                Service(Web, ("10.0.1.1", 8080, 5), ("10.0.1.2", 8080, 0), ("10.0.1.2", 8081, 3)),
                Service(Dns, ("10.0.1.1", 53, 1)),
            ],
            []);

        var kernel = KernelWeights.Of(observed);

        Assert.Equal(2, kernel.ServiceCount);
        Assert.True(kernel.Holds(Web));
        Assert.Equal(5, kernel.WeightOf(Web, IPAddress.Parse("10.0.1.1"), 8080));
        Assert.Equal(0, kernel.WeightOf(Web, IPAddress.Parse("10.0.1.2"), 8080));
        Assert.Equal(3, kernel.WeightOf(Web, IPAddress.Parse("10.0.1.2"), 8081));
        Assert.Equal(1, kernel.WeightOf(Dns, IPAddress.Parse("10.0.1.1"), 53));
    }

    [Fact]
    public void ConnectionsOf_TheKernelsCountsPerRealServer_NullWhenAbsent()
    {
        var entry = Service(Web, ("10.0.1.1", 8080, 5), ("10.0.1.2", 8080, 1));
        var counted = entry with
        {
            Destinations = [entry.Destinations[0] with { ActiveConnections = 12, InactiveConnections = 40 }, entry.Destinations[1]],
        };
        var kernel = KernelWeights.Of(new ObservedState([counted], []));

        Assert.Equal((12u, 40u), kernel.ConnectionsOf(Web, IPAddress.Parse("10.0.1.1"), 8080));
        Assert.Equal((0u, 0u), kernel.ConnectionsOf(Web, IPAddress.Parse("10.0.1.2"), 8080));
        Assert.Null(kernel.ConnectionsOf(Web, IPAddress.Parse("10.0.1.3"), 8080));
        Assert.Null(kernel.ConnectionsOf(Dns, IPAddress.Parse("10.0.1.1"), 8080));
    }

    [Fact]
    public void WeightOf_MissingServiceOrRealServer_Null()
    {
        var kernel = KernelWeights.Of(new ObservedState([Service(Web, ("10.0.1.1", 8080, 5))], []));

        Assert.False(kernel.Holds(Dns));
        Assert.Null(kernel.WeightOf(Dns, IPAddress.Parse("10.0.1.1"), 53));
        Assert.Null(kernel.WeightOf(Web, IPAddress.Parse("10.0.1.1"), 8081));
        Assert.Null(kernel.WeightOf(Web, IPAddress.Parse("10.0.1.9"), 8080));
        Assert.False(KernelWeights.Of(ObservedState.Empty).Holds(Web));
    }

    [Fact]
    public void WeightOf_Ipv6RealServers_FoundByAddressAndPort_NeverAsTheirIpv4Counterparts()
    {
        var web6 = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::100"), 80);
        var kernel = KernelWeights.Of(new ObservedState(
            [
                Service(web6, ("2001:db8::1", 8080, 7), ("2001:db8:0:1::1", 8080, 2), ("::ffff:10.0.1.1", 8080, 4)),
                Service(Web, ("10.0.1.1", 8080, 5)),
            ],
            []));

        Assert.Equal(7, kernel.WeightOf(web6, IPAddress.Parse("2001:db8::1"), 8080));
        Assert.Equal(2, kernel.WeightOf(web6, IPAddress.Parse("2001:db8:0:1::1"), 8080));
        Assert.Null(kernel.WeightOf(web6, IPAddress.Parse("2001:db8::1"), 8081));
        Assert.Null(kernel.WeightOf(web6, IPAddress.Parse("2001:db8::2"), 8080));
        Assert.Equal(4, kernel.WeightOf(web6, IPAddress.Parse("::ffff:10.0.1.1"), 8080));
        Assert.Null(kernel.WeightOf(web6, IPAddress.Parse("10.0.1.1"), 8080));
        Assert.Null(kernel.WeightOf(Web, IPAddress.Parse("::ffff:10.0.1.1"), 8080));
        Assert.Equal(5, kernel.WeightOf(Web, IPAddress.Parse("10.0.1.1"), 8080));
    }

    private static ServiceWithDestinations Service(ServiceKey key, params (string Address, int Port, int Weight)[] destinations) =>
        new(
            new ServiceEntry(new IpvsService(key, "wrr", IpvsServiceFlags.None, 0, 0xffffffff, null), IpvsStats.Zero),
            destinations.Select(d => new DestinationEntry(
                new IpvsDestination(IPAddress.Parse(d.Address), (ushort)d.Port, IpvsForwarding.Masquerade, d.Weight, 0, 0), 0, 0, 0, IpvsStats.Zero)).ToList());
}
