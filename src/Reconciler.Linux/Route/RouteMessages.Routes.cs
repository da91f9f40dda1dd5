using System.Buffers.Binary;
using System.Net;
using Reconciler.Linux.Netlink;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>Routes (struct rtmsg) and policy rules (struct fib_rule_hdr): encoding, and its mirror, decoding.</summary>
public static partial class RouteMessages
{
    /// <summary>
    /// The rtmsg and attributes of an RTM_NEWROUTE or RTM_DELROUTE. The table goes in RTA_TABLE always and in
    /// rtm_table when it fits (else RT_TABLE_UNSPEC, as iproute2 does); RTA_DST is left out for a /0.
    /// </summary>
    public static void WriteRouteRequest(ref NetlinkMessageWriter writer, KernelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        Span<byte> header = stackalloc byte[RouteNetlink.RouteMessageLength];
        header.Clear();
        header[0] = route.Family;
        header[1] = (byte)route.Destination.PrefixLength;
        header[4] = route.Table < 256 ? (byte)route.Table : RouteNetlink.RT_TABLE_UNSPEC;
        header[5] = route.Protocol;
        header[6] = route.Scope;
        header[7] = route.Type;
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], route.Flags);
        writer.WriteFamilyHeader(header);

        writer.WriteUInt32(RouteNetlink.RTA_TABLE, route.Table);
        if (route.Destination.PrefixLength > 0)
        {
            WriteAddress(ref writer, RouteNetlink.RTA_DST, route.Destination.Address);
        }

        if (route.Gateway is not null)
        {
            WriteAddress(ref writer, RouteNetlink.RTA_GATEWAY, route.Gateway);
        }

        if (route.OutputInterface != 0)
        {
            writer.WriteUInt32(RouteNetlink.RTA_OIF, (uint)route.OutputInterface);
        }

        if (route.PreferredSource is not null)
        {
            WriteAddress(ref writer, RouteNetlink.RTA_PREFSRC, route.PreferredSource);
        }

        if (route.Priority is { } priority)
        {
            writer.WriteUInt32(RouteNetlink.RTA_PRIORITY, priority);
        }
    }

    /// <summary>The rtmsg of an RTM_GETROUTE dump of one family (AF_UNSPEC: both).</summary>
    public static void WriteRouteDumpRequest(ref NetlinkMessageWriter writer, byte family)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.RouteMessageLength];
        header.Clear();
        header[0] = family;
        writer.WriteFamilyHeader(header);
    }

    /// <summary>Decodes an RTM_NEWROUTE (dump entry). False for a family other than IPv4/IPv6, a cached (cloned) IPv6
    /// route, or a multipath route (<c>nexthop</c>s: not one reconciler writes).</summary>
    public static bool TryReadRoute(NetlinkMessage message, out KernelRoute? route)
    {
        route = null;
        var payload = message.Payload;
        if (payload.Length < RouteNetlink.RouteMessageLength)
        {
            throw new NetlinkProtocolException($"RTM_NEWROUTE of {payload.Length} bytes");
        }

        byte family = payload[0];
        if (family is not (RouteNetlink.AF_INET or RouteNetlink.AF_INET6))
        {
            return false;
        }

        int prefix = payload[1];
        uint table = payload[4];
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        if ((flags & RouteNetlink.RTM_F_CLONED) != 0)
        {
            return false;
        }

        int addressLength = family == RouteNetlink.AF_INET ? 4 : 16;
        IPAddress destination = family == RouteNetlink.AF_INET ? IPAddress.Any : IPAddress.IPv6Any;
        IPAddress? gateway = null;
        IPAddress? source = null;
        int oif = 0;
        uint? priority = null;
        var attributes = message.Attributes(RouteNetlink.RouteMessageLength);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case RouteNetlink.RTA_DST when attribute.Value.Length == addressLength:
                    destination = new IPAddress(attribute.Value);
                    break;
                case RouteNetlink.RTA_GATEWAY when attribute.Value.Length == addressLength:
                    gateway = new IPAddress(attribute.Value);
                    break;
                case RouteNetlink.RTA_PREFSRC when attribute.Value.Length == addressLength:
                    source = new IPAddress(attribute.Value);
                    break;
                case RouteNetlink.RTA_OIF:
                    oif = (int)attribute.GetUInt32();
                    break;
                case RouteNetlink.RTA_PRIORITY:
                    priority = attribute.GetUInt32();
                    break;
                case RouteNetlink.RTA_TABLE:
                    table = attribute.GetUInt32();
                    break;
                case RouteNetlink.RTA_MULTIPATH:
                    return false;
            }
        }

        route = new KernelRoute(family, new InterfaceAddress(destination, prefix), table, payload[5], payload[6], payload[7], flags, gateway, oif, source, priority);
        return true;
    }

    /// <summary>
    /// The fib_rule_hdr and attributes of an RTM_NEWRULE or RTM_DELRULE (a delete matches every attribute given).
    /// The table goes in FRA_TABLE and in the header when it fits, as iproute2 sends it.
    /// </summary>
    public static void WriteRuleRequest(ref NetlinkMessageWriter writer, KernelRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Span<byte> header = stackalloc byte[RouteNetlink.RuleMessageLength];
        header.Clear();
        header[0] = rule.Family;
        header[1] = (byte)(rule.Destination?.PrefixLength ?? 0);
        header[2] = (byte)(rule.Source?.PrefixLength ?? 0);
        header[4] = rule.Table < 256 ? (byte)rule.Table : RouteNetlink.RT_TABLE_UNSPEC;
        header[7] = rule.Action;
        writer.WriteFamilyHeader(header);

        if (rule.Destination is { PrefixLength: > 0 } destination)
        {
            WriteAddress(ref writer, RouteNetlink.FRA_DST, destination.Address);
        }

        if (rule.Source is { PrefixLength: > 0 } source)
        {
            WriteAddress(ref writer, RouteNetlink.FRA_SRC, source.Address);
        }

        if (rule.Priority is { } priority)
        {
            writer.WriteUInt32(RouteNetlink.FRA_PRIORITY, priority);
        }

        if (rule.Table != 0)
        {
            writer.WriteUInt32(RouteNetlink.FRA_TABLE, rule.Table);
        }

        if (rule.Goto is { } target)
        {
            writer.WriteUInt32(RouteNetlink.FRA_GOTO, target);
        }

        if (rule.Mark is { } mark)
        {
            writer.WriteUInt32(RouteNetlink.FRA_FWMARK, mark);
        }

        if (rule.Mask is { } mask)
        {
            writer.WriteUInt32(RouteNetlink.FRA_FWMASK, mask);
        }

        if (rule.InputInterface is not null)
        {
            writer.WriteString(RouteNetlink.FRA_IIFNAME, rule.InputInterface);
        }

        if (rule.OutputInterface is not null)
        {
            writer.WriteString(RouteNetlink.FRA_OIFNAME, rule.OutputInterface);
        }

        if (rule.Protocol != 0)
        {
            writer.WriteUInt8(RouteNetlink.FRA_PROTOCOL, rule.Protocol);
        }
    }

    /// <summary>The fib_rule_hdr of an RTM_GETRULE dump of one family.</summary>
    public static void WriteRuleDumpRequest(ref NetlinkMessageWriter writer, byte family)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.RuleMessageLength];
        header.Clear();
        header[0] = family;
        writer.WriteFamilyHeader(header);
    }

    /// <summary>Decodes an RTM_NEWRULE (dump entry). False for a family other than IPv4/IPv6.</summary>
    public static bool TryReadRule(NetlinkMessage message, out KernelRule? rule)
    {
        rule = null;
        var payload = message.Payload;
        if (payload.Length < RouteNetlink.RuleMessageLength)
        {
            throw new NetlinkProtocolException($"RTM_NEWRULE of {payload.Length} bytes");
        }

        byte family = payload[0];
        if (family is not (RouteNetlink.AF_INET or RouteNetlink.AF_INET6))
        {
            return false;
        }

        int addressLength = family == RouteNetlink.AF_INET ? 4 : 16;
        InterfaceAddress? destination = null;
        InterfaceAddress? source = null;
        uint? priority = null;
        uint table = payload[4];
        uint? target = null;
        uint? mark = null;
        uint? mask = null;
        string? iif = null;
        string? oif = null;
        byte protocol = 0;
        var attributes = message.Attributes(RouteNetlink.RuleMessageLength);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case RouteNetlink.FRA_DST when attribute.Value.Length == addressLength:
                    destination = new InterfaceAddress(new IPAddress(attribute.Value), payload[1]);
                    break;
                case RouteNetlink.FRA_SRC when attribute.Value.Length == addressLength:
                    source = new InterfaceAddress(new IPAddress(attribute.Value), payload[2]);
                    break;
                case RouteNetlink.FRA_PRIORITY:
                    priority = attribute.GetUInt32();
                    break;
                case RouteNetlink.FRA_TABLE:
                    table = attribute.GetUInt32();
                    break;
                case RouteNetlink.FRA_GOTO:
                    target = attribute.GetUInt32();
                    break;
                case RouteNetlink.FRA_FWMARK:
                    mark = attribute.GetUInt32();
                    break;
                case RouteNetlink.FRA_FWMASK:
                    mask = attribute.GetUInt32();
                    break;
                case RouteNetlink.FRA_IIFNAME:
                    iif = attribute.GetString();
                    break;
                case RouteNetlink.FRA_OIFNAME:
                    oif = attribute.GetString();
                    break;
                case RouteNetlink.FRA_PROTOCOL:
                    protocol = attribute.GetUInt8();
                    break;
            }
        }

        rule = new KernelRule(family, source, destination, priority, payload[7], table, target, mark, mask, iif, oif, protocol);
        return true;
    }

    private static void WriteAddress(ref NetlinkMessageWriter writer, ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        writer.WriteAttribute(type, bytes[..length]);
    }
}
