using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Topology.Model;

/// <summary>
/// Routes, rules and static addresses in <c>ip route</c> / <c>ip rule</c> / <c>ip addr</c> words, for messages and
/// the topology diff: <c>10.1.0.0/16 via 192.168.1.1 dev eth1 table 100 metric 5</c>,
/// <c>from 192.168.1.0/24 lookup 100 pref 100</c>. Fields left to the kernel are left out.
/// </summary>
public static class NetworkText
{
    /// <summary>The whole route.</summary>
    public static string Route(IpRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var text = new StringBuilder();
        if (route.Type != RouteType.Unicast)
        {
            text.Append(route.Type.ToString().ToLowerInvariant()).Append(' ');
        }

        text.Append(Destination(route.Destination));
        Append(text, "via", route.Via);
        Append(text, "dev", route.Interface);
        Append(text, "src", route.Source);
        Append(text, "table", route.Table);
        Append(text, "metric", route.Metric);
        Append(text, "scope", route.Scope?.ToString().ToLowerInvariant());
        if (route.OnLink)
        {
            text.Append(" onlink");
        }

        return text.ToString();
    }

    /// <summary>What tells a route from another in the kernel (table, destination, metric; the type of service is
    /// always 0 here): two routes with the same key are one route.</summary>
    public static string RouteKey(IpRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var text = new StringBuilder(Destination(route.Destination));
        Append(text, "table", route.Table is null or IpRoute.MainTable ? null : route.Table);
        Append(text, "metric", route.Metric);
        return text.ToString();
    }

    /// <summary>The whole rule, its selectors first, then what it does.</summary>
    public static string Rule(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder(RuleSelectors(rule));
        text.Append(rule.Action switch
        {
            RuleAction.Table => rule.Table is { } table ? $" lookup {table.ToString(CultureInfo.InvariantCulture)}" : " lookup ?",
            RuleAction.Goto => rule.GotoPriority is { } target ? $" goto {target.ToString(CultureInfo.InvariantCulture)}" : " goto ?",
            var other => " " + other.ToString().ToLowerInvariant(),
        });
        return text.ToString();
    }

    /// <summary>What a rule matches and its preference: <c>from 192.168.1.0/24 fwmark 0x10/0xff pref 100</c>
    /// (<c>from all</c> when it has no selector).</summary>
    public static string RuleSelectors(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        text.Append("from ").Append(rule.From is { } from ? Prefix(from) : "all");
        if (rule.To is { } to)
        {
            text.Append(" to ").Append(Prefix(to));
        }

        if (rule.FirewallMark is { } mark)
        {
            text.Append(CultureInfo.InvariantCulture, $" fwmark 0x{mark:x}");
            if (rule.FirewallMask is { } mask)
            {
                text.Append(CultureInfo.InvariantCulture, $"/0x{mask:x}");
            }
        }

        Append(text, "iif", rule.InputInterface);
        Append(text, "oif", rule.OutputInterface);
        Append(text, "pref", rule.Priority);
        return text.ToString();
    }

    /// <summary><c>10.0.0.5/24 dev eth0 label eth0:1</c>.</summary>
    public static string Address(StaticAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = new StringBuilder(address.Address.ToString()).Append(" dev ").Append(address.Interface);
        Append(text, "label", address.Label);
        return text.ToString();
    }

    /// <summary><c>default</c> for a zero-length prefix of either family, the prefix otherwise.</summary>
    public static string Destination(InterfaceAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.PrefixLength == 0 ? "default" : Prefix(destination);
    }

    /// <summary>A bare address for a full-length prefix, <c>ADDR/LEN</c> otherwise.</summary>
    public static string Prefix(InterfaceAddress prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix.PrefixLength == InterfaceAddress.FullPrefix(prefix.Family) ? prefix.Address.ToString() : prefix.ToString();
    }

    /// <summary>Whether the bits of <paramref name="prefix"/> past its length are all zero (the kernel refuses a route
    /// or rule prefix with host bits set).</summary>
    public static bool IsNetwork(InterfaceAddress prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Network(prefix).Equals(prefix.Address);
    }

    /// <summary>The prefix's network address (its bits past the length cleared).</summary>
    public static IPAddress Network(InterfaceAddress prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var bytes = prefix.Address.GetAddressBytes();
        for (var bit = prefix.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private static void Append(StringBuilder text, string keyword, object? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(keyword).Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
