using System.Net;
using System.Net.Sockets;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Loading;

/// <summary>Routes, rules and static addresses: a VRRP instance's <c>virtualRoutes</c> / <c>virtualRules</c> and a
/// node's <c>network</c>.</summary>
internal sealed partial class TopologyBinder
{
    private const string DefaultDestination = "default";

    private NodeNetwork BindNetwork(JObject json, string pointer) => new(
        List(json, "addresses", pointer, BindStaticAddress),
        Routes(json, "routes", pointer),
        Rules(json, "rules", pointer));

    private ValueList<IpRoute> Routes(JObject json, string property, string pointer) => List(json, property, pointer, BindRoute);

    private ValueList<IpRule> Rules(JObject json, string property, string pointer) => List(json, property, pointer, BindRule);

    private StaticAddress? BindStaticAddress(JObject json, string pointer) =>
        Text(json, "interface") is { } name && Prefix(json, "address", pointer, networkOnly: false) is { } address
            ? new StaticAddress(name, address, Text(json, "label"))
            : null;

    /// <summary>A route; <c>to: default</c> is the zero-length prefix of IPv6 when the gateway or the source is IPv6,
    /// of IPv4 otherwise.</summary>
    private IpRoute? BindRoute(JObject json, string pointer)
    {
        if (Text(json, "to") is not { } to)
        {
            return null;
        }

        var via = Address(json, "via", pointer);
        var source = Address(json, "src", pointer);
        var destination = to == DefaultDestination
            ? new InterfaceAddress((via ?? source)?.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0)
            : Prefix(json, "to", pointer, networkOnly: true, orElse: " or default");
        if (destination is null)
        {
            return null;
        }

        return new IpRoute(
            destination,
            Text(json, "type") is { } type ? ModelText.ParseRouteType(type) ?? RouteType.Unicast : RouteType.Unicast,
            via,
            Text(json, "dev"),
            source,
            UInt(json, "table"),
            UInt(json, "metric"),
            Text(json, "scope") is { } scope ? ModelText.ParseRouteScope(scope) : null,
            Bool(json, "onLink") ?? false,
            Bool(json, "track") ?? true);
    }

    /// <summary>A rule; its action is <c>goto</c> when it has a <c>goto</c> and no action, else <c>table</c>.</summary>
    private IpRule? BindRule(JObject json, string pointer)
    {
        var from = Has(json, "from") ? Prefix(json, "from", pointer, networkOnly: true) : null;
        var to = Has(json, "to") ? Prefix(json, "to", pointer, networkOnly: true) : null;
        if ((Has(json, "from") && from is null) || (Has(json, "to") && to is null))
        {
            return null;
        }

        var gotoPriority = UInt(json, "goto");
        var action = Text(json, "action") is { } text
            ? ModelText.ParseRuleAction(text) ?? RuleAction.Table
            : gotoPriority is null ? RuleAction.Table : RuleAction.Goto;
        return new IpRule(
            from,
            to,
            UInt(json, "priority"),
            action,
            UInt(json, "table"),
            gotoPriority,
            UInt(json, "fwmark"),
            UInt(json, "fwmask"),
            Text(json, "iif"),
            Text(json, "oif"),
            Bool(json, "track") ?? true);
    }

    private static uint? UInt(JObject owner, string property) =>
        Integer(owner, property) is { } value && value is >= 0 and <= uint.MaxValue ? (uint)value : null;

    /// <summary><c>ADDR/LEN</c> or a bare address (the full prefix); with <paramref name="networkOnly"/> no bit past the
    /// length may be set (the kernel refuses such a route or rule).</summary>
    private InterfaceAddress? Prefix(JObject json, string property, string ownerPointer, bool networkOnly, string orElse = "")
    {
        if (Text(json, property) is not { } text)
        {
            return null;
        }

        var pointer = JsonPointer.Append(ownerPointer, property);
        if (!InterfaceAddress.TryParse(text, out var prefix)
            || (prefix.Family == AddressFamily.InterNetwork && text.Split('/')[0].Count(c => c == '.') != 3))
        {
            Error(pointer, $"'{text}' is not an address or ADDRESS/PREFIX-LENGTH{orElse} (examples: 10.1.0.0/16, 192.168.1.1, 2001:db8::/32)");
            return null;
        }

        if (networkOnly && !NetworkText.IsNetwork(prefix))
        {
            Error(pointer, $"'{text}' has bits set past its prefix length; did you mean {NetworkText.Network(prefix)}/{prefix.PrefixLength}?");
            return null;
        }

        return prefix;
    }
}
