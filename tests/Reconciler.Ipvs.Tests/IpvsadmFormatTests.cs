using System.Net;
using System.Net.Sockets;

namespace Reconciler.Ipvs.Tests;

/// <summary>Expected texts are what ipvsadm 1.31 printed for the same table in the lab guest.</summary>
public sealed class IpvsadmFormatTests
{
    private const string ExpectedSave = """
        -A -f -1 -s rr
        -A -t 10.0.0.54:80 -s sh -b 
        -A -t 10.0.0.55:80 -s dh
        -A -t 10.0.0.56:80 -s sed
        -A -t 10.0.0.57:80 -s nq
        -A -t 10.0.0.58:80 -s lblc
        -A -t 10.0.0.59:80 -s lblcr
        -A -t 10.0.0.60:80 -s fo
        -A -t 10.0.0.61:80 -s ovf
        -A -u 10.0.0.50:53 -s rr -o
        -a -u 10.0.0.50:53 -r 200.0.0.1:53 -g -w 4
        -a -u 10.0.0.50:53 -r 1.0.0.1:53 -g -w 4
        -a -u 10.0.0.50:53 -r 10.0.0.5:53 -m -w 2
        -a -u 10.0.0.50:53 -r 10.0.0.6:53 -i -w 1 --tun-type ipip
        -a -u 10.0.0.50:53 -r 10.0.0.7:53 -i -w 1 --tun-type gue --tun-port 5555 --tun-remcsum
        -a -u 10.0.0.50:53 -r 10.0.0.8:53 -i -w 1 --tun-type gue --tun-port 5556 --tun-csum
        -a -u 10.0.0.50:53 -r 10.0.0.9:53 -g -w 65535
        -A -u 10.0.0.51:53 -s wrr -p 60 -o
        -A -u 10.0.0.52:53 -s sh -p 30 -b sh-port
        -A --sctp-service 10.0.0.53:9000 -s mh -b mh-fallback,mh-port
        -A -f 9 -6 -s rr -p 100 -M 64

        """;

    private const string ExpectedList = """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        FWM  -1 rr
        TCP  10.0.0.54:80 sh ()
        TCP  10.0.0.55:80 dh
        TCP  10.0.0.56:80 sed
        TCP  10.0.0.57:80 nq
        TCP  10.0.0.58:80 lblc
        TCP  10.0.0.59:80 lblcr
        TCP  10.0.0.60:80 fo
        TCP  10.0.0.61:80 ovf
        UDP  10.0.0.50:53 rr ops
          -> 200.0.0.1:53                 Route   4      0          0         
          -> 1.0.0.1:53                   Route   4      0          0         
          -> 10.0.0.5:53                  Masq    2      0          0         
          -> 10.0.0.6:53                  Tunnel  1      0          0         
          -> 10.0.0.7:53                  Tunnel  1      0          0         
          -> 10.0.0.8:53                  Tunnel  1      0          0         
          -> 10.0.0.9:53                  Route   65535  0          0         
        UDP  10.0.0.51:53 wrr persistent 60 ops
        UDP  10.0.0.52:53 sh (sh-port) persistent 30
        SCTP 10.0.0.53:9000 mh (mh-fallback,mh-port)
        FWM  9 IPv6 rr persistent 100 mask 64

        """;

    [Fact]
    public void Save_IsWhatIpvsadmPrinted()
    {
        Assert.Equal(ExpectedSave, IpvsadmFormat.Save(Table()));
    }

    [Fact]
    public void List_IsWhatIpvsadmPrinted()
    {
        Assert.Equal(ExpectedList, IpvsadmFormat.List(new IpvsInfo(0x010201, 4096), Table()));
    }

    [Fact]
    public void Save_WithThresholds_AddsThemAfterTheWeight()
    {
        string text = IpvsadmFormat.Save(Table(), includeThresholds: true);

        Assert.Contains("-a -u 10.0.0.50:53 -r 10.0.0.5:53 -m -w 2 -x 1000 -y 200\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_Ipv4NetmaskOtherThanDefault_PrintsDottedMask()
    {
        var service = new IpvsService(Tcp("10.0.0.101", 443), "lc", IpvsServiceFlags.Persistent, 1800, 0xffffff00, null);

        Assert.Equal("-A -t 10.0.0.101:443 -s lc -p 1800 -M 255.255.255.0\n", IpvsadmFormat.Save([Entry(service)]));
    }

    /// <summary>The capture's table, services and real servers in the order the kernel dumped them.</summary>
    private static List<ServiceWithDestinations> Table()
    {
        static IpvsService Plain(ServiceKey key, string scheduler, IpvsServiceFlags flags = IpvsServiceFlags.None) =>
            new(key, scheduler, flags, 0, 0xffffffff, null);

        // The kernel lists a service's real servers newest first.
        IpvsDestination[] udp50 =
        [
            Route("1.0.0.1", 53, 4),
            Route("200.0.0.1", 53, 4),
            Route("10.0.0.9", 53, 65535),
            new(IPAddress.Parse("10.0.0.8"), 53, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gue, 5556, IpvsTunnelFlags.Checksum),
            new(IPAddress.Parse("10.0.0.7"), 53, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gue, 5555, IpvsTunnelFlags.RemoteChecksum),
            new(IPAddress.Parse("10.0.0.6"), 53, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Ipip),
            new(IPAddress.Parse("10.0.0.5"), 53, IpvsForwarding.Masquerade, 2, 1000, 200),
        ];
        return
        [
            Entry(Plain(Udp("10.0.0.50", 53), "rr", IpvsServiceFlags.OnePacket), udp50),
            Entry(new IpvsService(Udp("10.0.0.51", 53), "wrr", IpvsServiceFlags.OnePacket | IpvsServiceFlags.Persistent, 60, 0xffffffff, null)),
            Entry(new IpvsService(Udp("10.0.0.52", 53), "sh", IpvsServiceFlags.Scheduler2 | IpvsServiceFlags.Persistent, 30, 0xffffffff, null)),
            Entry(Plain(ServiceKey.ForAddress(IpvsProtocol.Sctp, IPAddress.Parse("10.0.0.53"), 9000), "mh", IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2)),
            Entry(Plain(Tcp("10.0.0.54", 80), "sh", IpvsServiceFlags.Scheduler3)),
            Entry(Plain(Tcp("10.0.0.61", 80), "ovf")),
            Entry(Plain(Tcp("10.0.0.55", 80), "dh")),
            Entry(Plain(Tcp("10.0.0.56", 80), "sed")),
            Entry(Plain(Tcp("10.0.0.57", 80), "nq")),
            Entry(Plain(Tcp("10.0.0.58", 80), "lblc")),
            Entry(Plain(Tcp("10.0.0.59", 80), "lblcr")),
            Entry(Plain(Tcp("10.0.0.60", 80), "fo")),
            Entry(new IpvsService(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 9), "rr", IpvsServiceFlags.Persistent, 100, 64, null)),
            Entry(Plain(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, uint.MaxValue), "rr")),
        ];
    }

    private static ServiceKey Tcp(string address, ushort port) => ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port);

    private static ServiceKey Udp(string address, ushort port) => ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse(address), port);

    private static IpvsDestination Route(string address, ushort port, int weight) =>
        new(IPAddress.Parse(address), port, IpvsForwarding.DirectRoute, weight, 0, 0);

    private static ServiceWithDestinations Entry(IpvsService service, params IpvsDestination[] destinations) => new(
        new ServiceEntry(service, IpvsStats.Zero),
        destinations.Select(d => new DestinationEntry(d, 0, 0, 0, IpvsStats.Zero)).ToList());
}
