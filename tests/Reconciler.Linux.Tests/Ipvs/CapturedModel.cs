using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;

namespace Reconciler.Linux.Tests.Ipvs;

/// <summary>The table captures 01-14 built, as the model should read it back (capture 15 lists it).</summary>
internal static class CapturedModel
{
    public static readonly ServiceKey Tcp100 = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);
    public static readonly ServiceKey Tcp101 = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.101"), 443);
    public static readonly ServiceKey Udp6 = ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::100"), 53);
    public static readonly ServiceKey Mark7 = ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7);
    public static readonly ServiceKey Mark8 = ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 8);

    /// <summary>Capture number, the service its ipvsadm command added (01-05) or edited (14).</summary>
    public static TheoryData<string, IpvsService, bool> ServiceCommands() => new()
    {
        { "01", new IpvsService(Tcp100, "rr", IpvsServiceFlags.None, 0, 0xffffffff, null), false },
        { "02", new IpvsService(Udp6, "wlc", IpvsServiceFlags.Persistent, 600, 64, null), false },
        { "03", new IpvsService(Mark7, "sh", IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2, 0, 0xffffffff, null), false },
        { "04", new IpvsService(Mark8, "wrr", IpvsServiceFlags.Persistent, 300, 128, null), false },
        { "05", new IpvsService(Tcp101, "lc", IpvsServiceFlags.Persistent, 1800, 0xffffff00, null), false },
        { "14", new IpvsService(Tcp100, "wlc", IpvsServiceFlags.None, 0, 0xffffffff, null), true },
    };

    /// <summary>Capture number, service, the real server its command added (07-12) or edited (13).</summary>
    public static TheoryData<string, ServiceKey, IpvsDestination, bool> DestinationCommands() => new()
    {
        { "07", Tcp100, Masq("10.0.0.5", 8080, 3, 100, 10), false },
        { "08", Tcp100, new IpvsDestination(IPAddress.Parse("10.0.0.6"), 80, IpvsForwarding.DirectRoute, 0, 0, 0), false },
        { "09", Tcp100, new IpvsDestination(IPAddress.Parse("10.0.0.7"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gue, 6080, IpvsTunnelFlags.None), false },
        { "10", Tcp100, new IpvsDestination(IPAddress.Parse("10.0.0.8"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gre, 0, IpvsTunnelFlags.Checksum), false },
        { "11", Udp6, Masq("2001:db8::5", 53, 5, 0, 0), false },
        { "12", Mark7, new IpvsDestination(IPAddress.Parse("10.0.0.9"), 0, IpvsForwarding.DirectRoute, 1, 0, 0), false },
        { "13", Tcp100, Masq("10.0.0.5", 8080, 7, 0, 0), true },
    };

    /// <summary>The table as capture 15 (ipvsadm -Sn) found it, in ipvsadm's order.</summary>
    public static IReadOnlyList<(IpvsService Service, IpvsDestination[] Destinations)> TableAt15() =>
    [
        (new IpvsService(Tcp100, "wlc", IpvsServiceFlags.None, 0, 0xffffffff, null),
        [
            Masq("10.0.0.5", 8080, 7, 0, 0),
            new IpvsDestination(IPAddress.Parse("10.0.0.6"), 80, IpvsForwarding.DirectRoute, 0, 0, 0),
            new IpvsDestination(IPAddress.Parse("10.0.0.7"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gue, 6080, IpvsTunnelFlags.None),
            new IpvsDestination(IPAddress.Parse("10.0.0.8"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gre, 0, IpvsTunnelFlags.Checksum),
        ]),
        (new IpvsService(Tcp101, "lc", IpvsServiceFlags.Persistent, 1800, 0xffffff00, null), []),
        (new IpvsService(Udp6, "wlc", IpvsServiceFlags.Persistent, 600, 64, null), [Masq("2001:db8::5", 53, 5, 0, 0)]),
        (new IpvsService(Mark7, "sh", IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2, 0, 0xffffffff, null),
            [new IpvsDestination(IPAddress.Parse("10.0.0.9"), 0, IpvsForwarding.DirectRoute, 1, 0, 0)]),
        (new IpvsService(Mark8, "wrr", IpvsServiceFlags.Persistent, 300, 128, null), []),
    ];

    private static IpvsDestination Masq(string address, ushort port, int weight, uint upper, uint lower) =>
        new(IPAddress.Parse(address), port, IpvsForwarding.Masquerade, weight, upper, lower);
}
