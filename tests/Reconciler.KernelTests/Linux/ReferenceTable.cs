using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using static Reconciler.KernelTests.Infrastructure.TableAssert;

namespace Reconciler.KernelTests.Linux;

/// <summary>A table that uses every field: IPv4 and IPv6, TCP/UDP/SCTP/fwmark, every scheduler, persistence with
/// netmasks, one-packet, scheduler flags, each forwarding method and tunnel type, weights and thresholds.</summary>
internal static class ReferenceTable
{
    /// <summary>The same table as ipvsadm commands.</summary>
    public static readonly string[][] IpvsadmCommands =
    [
        ["-A", "-t", "10.0.0.100:80", "-s", "wlc"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.5:8080", "-m", "-w", "7", "-x", "100", "-y", "10"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.6:80", "-g", "-w", "0"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.7:80", "-i", "-w", "1", "--tun-type", "gue", "--tun-port", "6080", "--tun-nocsum"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.8:80", "-i", "-w", "1", "--tun-type", "gre", "--tun-csum"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.9:80", "-i", "-w", "2", "--tun-type", "ipip"],
        ["-a", "-t", "10.0.0.100:80", "-r", "10.0.0.10:80", "-i", "-w", "3", "--tun-type", "gue", "--tun-port", "5555", "--tun-remcsum"],
        ["-A", "-t", "10.0.0.101:443", "-s", "lc", "-p", "1800", "-M", "255.255.255.0"],
        ["-A", "-u", "[2001:db8::100]:53", "-s", "wlc", "-p", "600", "-M", "64"],
        ["-a", "-u", "[2001:db8::100]:53", "-r", "[2001:db8::5]:53", "-m", "-w", "5", "-x", "50"],
        ["-A", "-f", "7", "-s", "sh", "-b", "sh-fallback,sh-port"],
        ["-a", "-f", "7", "-r", "10.0.0.11:0", "-g", "-w", "1"],
        ["-A", "-f", "8", "-6", "-s", "wrr", "-p", "300"],
        ["-A", "-u", "10.0.0.50:53", "-s", "rr", "-o"],
        ["-a", "-u", "10.0.0.50:53", "-r", "10.0.0.12:53", "-g", "-w", "65535"],
        ["-A", "-u", "10.0.0.51:53", "-s", "wrr", "-o", "-p", "60"],
        ["-A", "--sctp-service", "10.0.0.53:9000", "-s", "mh", "-b", "mh-fallback,mh-port"],
        ["-a", "--sctp-service", "10.0.0.53:9000", "-r", "10.0.0.13:9000", "-m", "-w", "9"],
        ["-A", "-t", "10.0.0.55:80", "-s", "dh"],
        ["-A", "-t", "10.0.0.56:80", "-s", "sed"],
        ["-A", "-t", "10.0.0.57:80", "-s", "nq"],
        ["-A", "-t", "10.0.0.58:80", "-s", "lblc"],
        ["-A", "-t", "10.0.0.59:80", "-s", "lblcr"],
        ["-A", "-t", "10.0.0.60:80", "-s", "fo"],
        ["-A", "-t", "10.0.0.61:80", "-s", "ovf"],
        ["-A", "-t", "10.0.0.62:80", "-s", "rr"],
        ["-A", "-f", "4294967295", "-s", "rr"],
    ];

    public static List<ServiceWithDestinations> Model() =>
    [
        Entry(Plain(Tcp("10.0.0.100", 80), "wlc"),
            Masq("10.0.0.5", 8080, 7, 100, 10),
            new IpvsDestination(Ip("10.0.0.6"), 80, IpvsForwarding.DirectRoute, 0, 0, 0),
            new IpvsDestination(Ip("10.0.0.7"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gue, 6080, IpvsTunnelFlags.None),
            new IpvsDestination(Ip("10.0.0.8"), 80, IpvsForwarding.Tunnel, 1, 0, 0, IpvsTunnelType.Gre, 0, IpvsTunnelFlags.Checksum),
            new IpvsDestination(Ip("10.0.0.9"), 80, IpvsForwarding.Tunnel, 2, 0, 0, IpvsTunnelType.Ipip),
            new IpvsDestination(Ip("10.0.0.10"), 80, IpvsForwarding.Tunnel, 3, 0, 0, IpvsTunnelType.Gue, 5555, IpvsTunnelFlags.RemoteChecksum)),
        Entry(new IpvsService(Tcp("10.0.0.101", 443), "lc", IpvsServiceFlags.Persistent, 1800, 0xffffff00, null)),
        Entry(new IpvsService(Udp("2001:db8::100", 53), "wlc", IpvsServiceFlags.Persistent, 600, 64, null),
            Masq("2001:db8::5", 53, 5, 50, 0)),
        Entry(Plain(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), "sh", IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2),
            new IpvsDestination(Ip("10.0.0.11"), 0, IpvsForwarding.DirectRoute, 1, 0, 0)),
        Entry(new IpvsService(ServiceKey.ForFirewallMark(AddressFamily.InterNetworkV6, 8), "wrr", IpvsServiceFlags.Persistent, 300, 128, null)),
        Entry(Plain(Udp("10.0.0.50", 53), "rr", IpvsServiceFlags.OnePacket),
            new IpvsDestination(Ip("10.0.0.12"), 53, IpvsForwarding.DirectRoute, 65535, 0, 0)),
        Entry(new IpvsService(Udp("10.0.0.51", 53), "wrr", IpvsServiceFlags.OnePacket | IpvsServiceFlags.Persistent, 60, 0xffffffff, null)),
        Entry(Plain(ServiceKey.ForAddress(IpvsProtocol.Sctp, Ip("10.0.0.53"), 9000), "mh", IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2),
            Masq("10.0.0.13", 9000, 9, 0, 0)),
        Entry(Plain(Tcp("10.0.0.55", 80), "dh")),
        Entry(Plain(Tcp("10.0.0.56", 80), "sed")),
        Entry(Plain(Tcp("10.0.0.57", 80), "nq")),
        Entry(Plain(Tcp("10.0.0.58", 80), "lblc")),
        Entry(Plain(Tcp("10.0.0.59", 80), "lblcr")),
        Entry(Plain(Tcp("10.0.0.60", 80), "fo")),
        Entry(Plain(Tcp("10.0.0.61", 80), "ovf")),
        Entry(Plain(Tcp("10.0.0.62", 80), "rr")),
        Entry(Plain(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, uint.MaxValue), "rr")),
    ];

    /// <summary>What ipvsadm -Ln --thresholds shows for the real servers that have thresholds.</summary>
    public static readonly string[] ThresholdLines =
    [
        "  -> 10.0.0.5:8080                100        10         0          0         ",
        "  -> [2001:db8::5]:53             50         0          0          0         ",
    ];

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static ServiceKey Tcp(string address, ushort port) => ServiceKey.ForAddress(IpvsProtocol.Tcp, Ip(address), port);

    public static ServiceKey Udp(string address, ushort port) => ServiceKey.ForAddress(IpvsProtocol.Udp, Ip(address), port);

    public static IpvsService Plain(ServiceKey key, string scheduler, IpvsServiceFlags flags = IpvsServiceFlags.None) =>
        new(key, scheduler, flags, 0, key.Family == AddressFamily.InterNetworkV6 ? 128u : 0xffffffff, null);

    public static IpvsDestination Masq(string address, ushort port, int weight, uint upper, uint lower) =>
        new(Ip(address), port, IpvsForwarding.Masquerade, weight, upper, lower);
}
