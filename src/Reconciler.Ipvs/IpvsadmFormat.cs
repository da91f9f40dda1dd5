using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Ipvs;

/// <summary>
/// The IPVS table as ipvsadm 1.31 prints it, byte for byte: <see cref="Save"/> is <c>ipvsadm -Sn</c>,
/// <see cref="List"/> is <c>ipvsadm -Ln</c>. Both sort the way ipvsadm does (<see cref="IpvsadmOrder"/>).
/// Like ipvsadm, <c>-Sn</c> leaves out thresholds (<c>-x</c>/<c>-y</c>); <see cref="Save"/> can add them.
/// </summary>
public static class IpvsadmFormat
{
    /// <summary><c>ipvsadm -Sn</c>. With <paramref name="includeThresholds"/>, real servers with thresholds also get
    /// <c>-x</c>/<c>-y</c> (ipvsadm -R accepts them; ipvsadm -S never prints them).</summary>
    public static string Save(IReadOnlyList<ServiceWithDestinations> table, bool includeThresholds = false)
    {
        var text = new StringBuilder();
        foreach (var entry in IpvsadmOrder.Sort(table))
        {
            var service = entry.Service;
            string name = RuleName(service.Key);
            text.Append("-A ").Append(name).Append(" -s ").Append(service.Scheduler);
            if (service.IsPersistent)
            {
                text.Append(" -p ").Append(U(service.TimeoutSeconds));
                if (Netmask(service) is { } mask)
                {
                    text.Append(" -M ").Append(mask);
                }
            }

            if (service.PersistenceEngine is { Length: > 0 } engine)
            {
                text.Append(" --pe ").Append(engine);
            }

            if ((service.Flags & IpvsServiceFlags.OnePacket) != 0)
            {
                text.Append(" -o");
            }

            if (SchedulerFlags(service) is { } flags)
            {
                text.Append(" -b ").Append(flags);
            }

            text.Append('\n');
            foreach (var entryDestination in entry.Destinations)
            {
                var destination = entryDestination.Destination;
                text.Append("-a ").Append(name).Append(" -r ").Append(Endpoint(destination.Address, destination.Port))
                    .Append(' ').Append(ForwardingSwitch(destination.Forwarding))
                    .Append(" -w ").Append(destination.Weight.ToString(CultureInfo.InvariantCulture));
                if (includeThresholds && destination.UpperThreshold != 0)
                {
                    text.Append(" -x ").Append(U(destination.UpperThreshold));
                }

                if (includeThresholds && destination.LowerThreshold != 0)
                {
                    text.Append(" -y ").Append(U(destination.LowerThreshold));
                }

                if (destination.Forwarding == IpvsForwarding.Tunnel)
                {
                    AppendTunnel(text, destination);
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary><c>ipvsadm -Ln</c>.</summary>
    public static string List(IpvsInfo info, IReadOnlyList<ServiceWithDestinations> table)
    {
        ArgumentNullException.ThrowIfNull(info);
        var text = new StringBuilder();
        text.Append("IP Virtual Server version ").Append(info.VersionText).Append(" (size=").Append(U(info.ConnectionTableSize)).Append(")\n");
        text.Append("Prot LocalAddress:Port Scheduler Flags\n");
        text.Append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        foreach (var entry in IpvsadmOrder.Sort(table))
        {
            var service = entry.Service;
            text.Append(ListName(service.Key)).Append(' ').Append(service.Scheduler);
            if (SchedulerFlags(service) is { } flags)
            {
                text.Append(" (").Append(flags).Append(')');
            }

            if (service.IsPersistent)
            {
                text.Append(" persistent ").Append(U(service.TimeoutSeconds));
                if (Netmask(service) is { } mask)
                {
                    text.Append(" mask ").Append(mask);
                }
            }

            if (service.PersistenceEngine is { Length: > 0 } engine)
            {
                text.Append(" pe ").Append(engine);
            }

            if ((service.Flags & IpvsServiceFlags.OnePacket) != 0)
            {
                text.Append(" ops");
            }

            text.Append('\n');
            foreach (var destination in entry.Destinations)
            {
                var d = destination.Destination;
                text.Append("  -> ")
                    .Append(Endpoint(d.Address, d.Port).PadRight(28)).Append(' ')
                    .Append(ForwardingName(d.Forwarding).PadRight(7)).Append(' ')
                    .Append(d.Weight.ToString(CultureInfo.InvariantCulture).PadRight(6)).Append(' ')
                    .Append(U(destination.ActiveConnections).PadRight(10)).Append(' ')
                    .Append(U(destination.InactiveConnections).PadRight(10)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string RuleName(ServiceKey key) => key.IsFirewallMark
        ? key.Family == AddressFamily.InterNetworkV6 ? $"-f {Mark(key)} -6" : $"-f {Mark(key)}"
        : $"{ProtocolSwitch(key.Protocol)} {Endpoint(key.Address!, key.Port)}";

    private static string ListName(ServiceKey key) => key.IsFirewallMark
        ? key.Family == AddressFamily.InterNetworkV6 ? $"FWM  {Mark(key)} IPv6" : $"FWM  {Mark(key)}"
        : $"{ProtocolName(key.Protocol)} {Endpoint(key.Address!, key.Port)}";

    /// <summary>ipvsadm prints the mark with %d.</summary>
    private static string Mark(ServiceKey key) => unchecked((int)key.FirewallMark).ToString(CultureInfo.InvariantCulture);

    private static string ProtocolSwitch(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "-t",
        IpvsProtocol.Udp => "-u",
        IpvsProtocol.Sctp => "--sctp-service",
        _ => "-?",
    };

    private static string ProtocolName(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "TCP ",
        IpvsProtocol.Udp => "UDP ",
        IpvsProtocol.Sctp => "SCTP",
        _ => "??? ",
    };

    private static string ForwardingSwitch(IpvsForwarding forwarding) => forwarding switch
    {
        IpvsForwarding.Masquerade => "-m",
        IpvsForwarding.Tunnel => "-i",
        IpvsForwarding.LocalNode or IpvsForwarding.DirectRoute => "-g",
        _ => "?",
    };

    private static string ForwardingName(IpvsForwarding forwarding) => forwarding switch
    {
        IpvsForwarding.Masquerade => "Masq",
        IpvsForwarding.LocalNode => "Local",
        IpvsForwarding.Tunnel => "Tunnel",
        IpvsForwarding.DirectRoute => "Route",
        _ => "Unknown",
    };

    /// <summary>The -M / mask part, only when it is not the family's default.</summary>
    private static string? Netmask(IpvsService service)
    {
        if (service.Key.Family == AddressFamily.InterNetworkV6)
        {
            return service.Netmask == 128 ? null : unchecked((int)service.Netmask).ToString(CultureInfo.InvariantCulture);
        }

        if (service.Netmask == 0xffffffff)
        {
            return null;
        }

        uint mask = service.Netmask;
        return new IPAddress([(byte)(mask >> 24), (byte)(mask >> 16), (byte)(mask >> 8), (byte)mask]).ToString();
    }

    /// <summary>The -b names. ipvsadm names SCHED1/SCHED2 for sh and mh only (and prints an empty list when only
    /// other flags are set), flag-N for other schedulers.</summary>
    private static string? SchedulerFlags(IpvsService service)
    {
        const IpvsServiceFlags all = IpvsServiceFlags.Scheduler1 | IpvsServiceFlags.Scheduler2 | IpvsServiceFlags.Scheduler3;
        if ((service.Flags & all) == 0)
        {
            return null;
        }

        var names = new List<string>(3);
        if (service.Scheduler is "sh" or "mh")
        {
            if ((service.Flags & IpvsServiceFlags.Scheduler1) != 0)
            {
                names.Add(service.Scheduler + "-fallback");
            }

            if ((service.Flags & IpvsServiceFlags.Scheduler2) != 0)
            {
                names.Add(service.Scheduler + "-port");
            }
        }
        else
        {
            if ((service.Flags & IpvsServiceFlags.Scheduler1) != 0)
            {
                names.Add("flag-1");
            }

            if ((service.Flags & IpvsServiceFlags.Scheduler2) != 0)
            {
                names.Add("flag-2");
            }

            if ((service.Flags & IpvsServiceFlags.Scheduler3) != 0)
            {
                names.Add("flag-3");
            }
        }

        return string.Join(',', names);
    }

    private static void AppendTunnel(StringBuilder text, IpvsDestination destination)
    {
        switch (destination.TunnelType)
        {
            case IpvsTunnelType.Ipip:
                text.Append(" --tun-type ipip");
                break;
            case IpvsTunnelType.Gue:
                text.Append(" --tun-type gue --tun-port ").Append(destination.TunnelPort.ToString(CultureInfo.InvariantCulture));
                AppendChecksum(text, destination.TunnelFlags);
                break;
            case IpvsTunnelType.Gre:
                text.Append(" --tun-type gre");
                AppendChecksum(text, destination.TunnelFlags);
                break;
            default:
                break;
        }
    }

    private static void AppendChecksum(StringBuilder text, IpvsTunnelFlags flags) => text.Append(
        (flags & IpvsTunnelFlags.RemoteChecksum) != 0 ? " --tun-remcsum"
        : (flags & IpvsTunnelFlags.Checksum) != 0 ? " --tun-csum"
        : " --tun-nocsum");

    private static string Endpoint(IPAddress address, ushort port) => Endpoints.Format(address, port);

    private static string U(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
