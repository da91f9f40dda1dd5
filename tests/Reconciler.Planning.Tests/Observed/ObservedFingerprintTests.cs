using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Observed;

/// <summary>
/// The fingerprint is stored in saved plans: its value must not change with the implementation. The pinned digests
/// were computed by the first implementation (LINQ sorting, one hash update per record) before it was rewritten to
/// sort on precomputed keys and hash a buffer at a time.
/// </summary>
public sealed class ObservedFingerprintTests
{
    private const string MixedDigest = "sha256:39e2213a2a2479d3f0c17d04d8ea45f901be5503548bf149aedd77e102eb213b";

    private const string LargeDigest = "sha256:9993894a9a74bce483230eeb655d026c2df8500eea2b49929dcaaed4e10986c8";

    [Fact]
    public void Of_MixedFamiliesMarksAndAddresses_MatchesPinnedDigest() =>
        Assert.Equal(MixedDigest, ObservedFingerprint.Of(Mixed()));

    [Fact]
    public void Of_ManyServices_MatchesPinnedDigest() =>
        Assert.Equal(LargeDigest, ObservedFingerprint.Of(Large(1_000)));

    [Fact]
    public void Of_ListedInAnotherOrder_Same()
    {
        var state = Mixed();
        var reversed = new ObservedState(
            state.Services.Reverse().Select(s => s with { Destinations = s.Destinations.Reverse().ToList() }).ToList(),
            state.Addresses.Reverse().ToList());

        Assert.Equal(ObservedFingerprint.Of(state), ObservedFingerprint.Of(reversed));
    }

    [Fact]
    public void Of_CountersAndHashedFlag_Ignored()
    {
        var state = Mixed();
        var busy = new ObservedState(
            state.Services.Select(s => new ServiceWithDestinations(
                new ServiceEntry(s.Service with { Flags = s.Service.Flags | IpvsServiceFlags.Hashed }, new IpvsStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
                s.Destinations.Select(d => d with { ActiveConnections = 7, InactiveConnections = 3 }).ToList())).ToList(),
            state.Addresses);

        Assert.Equal(ObservedFingerprint.Of(state), ObservedFingerprint.Of(busy));
    }

    [Fact]
    public void Of_OneWeightChanged_Differs()
    {
        var state = Large(100);
        var first = state.Services[0];
        var changed = state with
        {
            Services = [first with { Destinations = [first.Destinations[0] with { Destination = first.Destinations[0].Destination with { Weight = 99 } }, .. first.Destinations.Skip(1)] }, .. state.Services.Skip(1)],
        };

        Assert.NotEqual(ObservedFingerprint.Of(state), ObservedFingerprint.Of(changed));
    }

    /// <summary>IPv4 and IPv6 services, firewall marks of both families, persistence with an engine, tunnel settings,
    /// destinations out of order, and interface addresses.</summary>
    private static ObservedState Mixed()
    {
        var persistent = Service(Tcp("192.168.1.120", 443), "sh", persistence: 300) with { Netmask = 0xffffff00, PersistenceEngine = "sip", Flags = IpvsServiceFlags.Persistent | IpvsServiceFlags.Scheduler2 };
        return new ObservedState(
            [
                Live(Service(Tcp("192.168.1.120")), Destination("10.0.0.12", weight: 5), Destination("10.0.0.2"), Destination("9.0.0.1", 8080, 0, IpvsForwarding.Masquerade)),
                Live(Service(Udp("2001:db8::53")), Destination("2001:db8::b", 53), Destination("2001:db8::a", 53, 3)),
                Live(Service(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 7), "rr")),
                Live(Service(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), "rr"), Destination("10.0.0.9", 0)),
                Live(persistent, new IpvsDestination(IPAddress.Parse("10.0.1.1"), 443, IpvsForwarding.Tunnel, 2, 100, 10, IpvsTunnelType.Gue, 6080, IpvsTunnelFlags.Checksum)),
                Live(Service(Tcp("10.0.0.255", 80))),
            ],
            [
                new ObservedAddress("eth0", new InterfaceAddress(IPAddress.Parse("192.168.1.120"), 32)),
                new ObservedAddress("eth1", new InterfaceAddress(IPAddress.Parse("2001:db8::120"), 64)),
            ]);
    }

    /// <summary>Enough services that the encoding spans many buffers.</summary>
    private static ObservedState Large(int services) => new(
        Enumerable.Range(0, services)
            .Select(i => Live(
                Service(Tcp(string.Create(CultureInfo.InvariantCulture, $"10.1.{i / 250}.{(i * 7 % 250) + 1}"))),
                Enumerable.Range(0, 10).Select(r => Destination(string.Create(CultureInfo.InvariantCulture, $"10.2.{9 - r}.{(i % 250) + 1}"), weight: r)).ToArray()))
            .ToList(),
        []);
}
