using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// <c>virtual_routes</c> / <c>virtual_rules</c> of a VRRP instance and the top-level <c>static_routes</c>,
/// <c>static_rules</c> and <c>static_ipaddress</c>, as keepalived 2.2.7 reads them (<c>ip route</c> / <c>ip rule</c>
/// / <c>ip addr</c> words, without shortened option names). What the topology has no place for is dropped, located,
/// with why: an option that only labels or tunes (<c>protocol</c>, <c>mtu</c>, <c>brd</c>...) alone, and the whole
/// route or rule when dropping the option would change which packets it takes or where they go (multipath
/// <c>nexthop</c> and <c>or</c>, <c>tos</c>, <c>uidrange</c>, <c>sport</c>...).
/// </summary>
internal sealed partial class NodeConfigReader
{
    /// <summary>keepalived numbers rules written without a preference downwards from here, in file order ("This is
    /// probably not what you want").</summary>
    private uint _nextRulePriority = 16384;

    private static readonly string[] RouteTypes = ["unicast", "blackhole", "unreachable", "prohibit", "throw"];

    private static readonly HashSet<string> RouteTypesWithoutPlace = new(StringComparer.Ordinal) { "local", "broadcast", "anycast", "multicast", "nat" };

    /// <summary>Route options that tune or label a route (each with one value, after an optional <c>lock</c>): the
    /// route is kept without them.</summary>
    private static readonly HashSet<string> RouteOptionsDropped = new(StringComparer.Ordinal)
    {
        "protocol", "mtu", "advmss", "hoplimit", "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh", "realms",
        "rto_min", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref", "expires", "fastopen_no_cookie",
        "track_group", "ttl-propagate",
    };

    /// <summary>Route options that change which packets the route takes or where they go: the route is dropped.</summary>
    private static readonly HashSet<string> RouteOptionsDroppingRoute = new(StringComparer.Ordinal)
    {
        "nexthop", "or", "tos", "dsfield", "encap", "vrf", "from", "nhid",
    };

    /// <summary>Rule options that change which packets the rule matches or what it does: the rule is dropped.</summary>
    private static readonly HashSet<string> RuleOptionsDroppingRule = new(StringComparer.Ordinal)
    {
        "tos", "dsfield", "realms", "uidrange", "l3mdev", "ipproto", "ip_proto", "sport", "dport", "suppress_prefixlength",
        "suppress_ifgroup", "nat", "map-to", "tun_id",
    };

    private static readonly Dictionary<string, RuleAction> RuleActions = new(StringComparer.Ordinal)
    {
        ["blackhole"] = RuleAction.Blackhole,
        ["unreachable"] = RuleAction.Unreachable,
        ["prohibit"] = RuleAction.Prohibit,
        ["nop"] = RuleAction.Nop,
    };

    private List<IpRoute> ReadRoutes(ConfigStatement statement, string context, bool tracked, List<string> interfaces)
    {
        var routes = new List<IpRoute>();
        foreach (var entry in Block(statement))
        {
            if (entry.HasBlock)
            {
                Error("syntax", $"{context}: a route does not take a {{ }} block", entry.Location);
            }
            else if (ReadRoute([entry.Keyword, .. entry.Arguments], context, tracked) is { } route)
            {
                routes.Add(route);
                if (route.Interface is { } name)
                {
                    interfaces.Add(name);
                }
            }
        }

        return routes;
    }

    private IpRoute? ReadRoute(IReadOnlyList<Token> words, string context, bool tracked)
    {
        var type = RouteType.Unicast;
        Token? destinationToken = null;
        IPAddress? via = null;
        IPAddress? source = null;
        string? device = null;
        uint? table = null;
        uint? metric = null;
        RouteScope? scope = null;
        var onLink = false;
        var noTrack = false;
        var inet6 = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            Token? Value() => i + 1 < words.Count ? words[++i] : null;
            switch (word.Text)
            {
                case "inet":
                    break;
                case "inet6":
                    inet6 = true;
                    break;
                case var t when RouteTypes.Contains(t) && destinationToken is null:
                    type = Enum.Parse<RouteType>(t, ignoreCase: true);
                    break;
                case var t when RouteTypesWithoutPlace.Contains(t) && destinationToken is null:
                    return DroppedRoute(words[0], word, context, $"a route of type {t} has no place in the topology");
                case "to":
                    destinationToken = Value();
                    break;
                case "src":
                    if (Value() is not { } src || Address(src, "src") is not { } srcAddress)
                    {
                        return null;
                    }

                    source = srcAddress;
                    break;
                case "via" or "gw":
                    if (Value() is not { } gateway)
                    {
                        return DroppedRoute(words[0], word, context, $"'{word.Text}' needs an address");
                    }

                    if (gateway.Text is "inet" or "inet6" && Value() is { } familyGateway)
                    {
                        gateway = familyGateway;
                    }

                    if (Address(gateway, "via") is not { } gatewayAddress)
                    {
                        return null;
                    }

                    via = gatewayAddress;
                    break;
                case "dev" or "oif":
                    device = Value()?.Text;
                    break;
                case "table":
                    if (Value() is not { } tableToken || Table(words[0], tableToken, context) is not { } tableNumber)
                    {
                        return null;
                    }

                    table = tableNumber;
                    break;
                case "metric" or "priority" or "preference":
                    if (Value() is not { } metricToken || RouteNumber(metricToken, word.Text) is not { } metricNumber)
                    {
                        return null;
                    }

                    metric = metricNumber;
                    break;
                case "scope":
                    if (Value() is not { } scopeToken || Scope(scopeToken) is not { } scopeValue)
                    {
                        return DroppedRoute(words[0], word, context, "its scope is none of global, universe, site, link, host");
                    }

                    scope = scopeValue;
                    break;
                case "onlink":
                    onLink = true;
                    break;
                case "no_track":
                    noTrack = true;
                    break;
                case "append" or "prepend":
                    Dropped(word, context, "routes are added as the kernel adds them, before any matching route");
                    break;
                case var t when RouteOptionsDropped.Contains(t):
                    var dropped = Value();
                    if (dropped?.Text == "lock")
                    {
                        dropped = Value();
                    }

                    Dropped(word, context, $"route option '{t}{(dropped is null ? "" : " " + dropped.Text)}' has no place in the topology; the route is imported without it");
                    break;
                case var t when RouteOptionsDroppingRoute.Contains(t):
                    return DroppedRoute(words[0], word, context, t is "nexthop" or "or"
                        ? "multipath routes (nexthop, or) have no place in the topology"
                        : $"route option '{t}' has no place in the topology, and without it the route would take other packets or send them elsewhere");
                default:
                    if (destinationToken is null)
                    {
                        destinationToken = word;
                        break;
                    }

                    return DroppedRoute(words[0], word, context, $"keepalived 2.2.7 does not know the route option '{word.Text}'");
            }
        }

        if (destinationToken is null)
        {
            return DroppedRoute(words[0], words[0], context, "it has no destination (keepalived: \"Route must have a destination\")");
        }

        var family = inet6 || (via ?? source)?.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (Destination(destinationToken, family, context) is not { } destination)
        {
            return null;
        }

        var track = tracked && !noTrack;
        if (track && device is null)
        {
            Warning(
                "route-not-tracked",
                $"{context}: route {NetworkText.Destination(destination)} has no dev, so keepalived does not track it (\"cannot track route ... with no interface specified\"); imported with track: false",
                words[0].Location);
            track = false;
        }

        return new IpRoute(destination, type, via, device, source, table, metric, scope, onLink, track || !tracked);
    }

    /// <summary>Drops the route whose first word is <paramref name="first"/>, at that word (so the import report lists the
    /// whole line as dropped), naming the word <paramref name="at"/> that drops it.</summary>
    private IpRoute? DroppedRoute(Token first, Token at, string context, string why)
    {
        Warning("route-dropped", $"{context}: the route is dropped{At(first, at)}: {why}", first.Location);
        return null;
    }

    private static string At(Token first, Token at) =>
        ReferenceEquals(first, at) ? string.Empty : $" ('{at.Text}' at column {at.Location.Column})";

    /// <summary>A route's destination: <c>default</c> (or <c>all</c>, <c>any</c>) is the family's zero-length prefix;
    /// bits set past the prefix length are cleared, as the kernel needs.</summary>
    private InterfaceAddress? Destination(Token token, AddressFamily family, string context)
    {
        if (token.Text is "default" or "all" or "any")
        {
            return new InterfaceAddress(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        }

        return Prefix(token, context);
    }

    private InterfaceAddress? Prefix(Token token, string context)
    {
        if (!InterfaceAddress.TryParse(token.Text, out var prefix))
        {
            Error("invalid-value", $"{context}: '{token.Text}' is not an address or address/prefix", token.Location);
            return null;
        }

        if (!NetworkText.IsNetwork(prefix))
        {
            var network = new InterfaceAddress(NetworkText.Network(prefix), prefix.PrefixLength);
            Warning("prefix-adjusted", $"{context}: {token.Text} has bits set past its prefix length; imported as {network}, the network the kernel routes", token.Location);
            return network;
        }

        return prefix;
    }

    /// <summary>A table by number, or by the names every system has (main, local, default); other names are the
    /// node's /etc/iproute2/rt_tables, which the import does not read.</summary>
    private uint? Table(Token first, Token token, string context)
    {
        switch (token.Text)
        {
            case "main":
                return IpRoute.MainTable;
            case "local":
                return 255;
            case "default":
                return 253;
        }

        if (uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            return number;
        }

        Warning("route-dropped", $"{context}: the route or rule is dropped{At(first, token)}: table '{token.Text}' is a name from the node's /etc/iproute2/rt_tables, which the import does not read (write the table's number)", first.Location);
        return null;
    }

    private uint? RouteNumber(Token token, string what)
    {
        if (uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Error("invalid-value", $"'{what}' must be a whole number, not '{token.Text}'", token.Location);
        return null;
    }

    private static RouteScope? Scope(Token token) => token.Text switch
    {
        "global" or "universe" or "0" => RouteScope.Universe,
        "site" or "200" => RouteScope.Site,
        "link" or "253" => RouteScope.Link,
        "host" or "254" => RouteScope.Host,
        _ => null,
    };

    private List<IpRule> ReadRules(ConfigStatement statement, string context, bool tracked, List<string> interfaces)
    {
        var rules = new List<IpRule>();
        foreach (var entry in Block(statement))
        {
            if (entry.HasBlock)
            {
                Error("syntax", $"{context}: a rule does not take a {{ }} block", entry.Location);
            }
            else if (ReadRule([entry.Keyword, .. entry.Arguments], context, tracked) is { } rule)
            {
                rules.Add(rule);
                interfaces.AddRange(new[] { rule.InputInterface, rule.OutputInterface }.OfType<string>());
            }
        }

        return rules;
    }

    private IpRule? ReadRule(IReadOnlyList<Token> words, string context, bool tracked)
    {
        InterfaceAddress? from = null;
        InterfaceAddress? to = null;
        uint? priority = null;
        uint? table = null;
        uint? gotoPriority = null;
        uint? mark = null;
        uint? mask = null;
        string? iif = null;
        string? oif = null;
        RuleAction? action = null;
        var noTrack = false;
        var inet6 = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            Token? Value() => i + 1 < words.Count ? words[++i] : null;
            switch (word.Text)
            {
                case "inet":
                    break;
                case "inet6":
                    inet6 = true;
                    break;
                case "from" or "to":
                    if (Value() is not { } prefixToken)
                    {
                        return DroppedRule(words[0], word, context, $"'{word.Text}' needs a prefix");
                    }

                    if (prefixToken.Text == "all" && !inet6)
                    {
                        break;
                    }

                    if (Prefix(prefixToken, context) is not { } prefix)
                    {
                        return null;
                    }

                    if (word.Text == "from")
                    {
                        from = prefix;
                    }
                    else
                    {
                        to = prefix;
                    }

                    break;
                case "table" or "lookup":
                    if (Value() is not { } tableToken || Table(words[0], tableToken, context) is not { } tableNumber)
                    {
                        return null;
                    }

                    table = tableNumber;
                    break;
                case "preference" or "priority":
                    if (Value() is not { } priorityToken || RouteNumber(priorityToken, word.Text) is not { } priorityNumber)
                    {
                        return null;
                    }

                    priority = priorityNumber;
                    break;
                case "goto":
                    if (Value() is not { } gotoToken || RouteNumber(gotoToken, word.Text) is not { } target)
                    {
                        return null;
                    }

                    gotoPriority = target;
                    action = RuleAction.Goto;
                    break;
                case "fwmark":
                    if (Value() is not { } markToken || Mark(markToken, context) is not { } parsed)
                    {
                        return null;
                    }

                    (mark, mask) = parsed;
                    break;
                case "iif" or "oif":
                    var name = Value()?.Text;
                    if (word.Text == "iif")
                    {
                        iif = name;
                    }
                    else
                    {
                        oif = name;
                    }

                    break;
                case "no_track":
                    noTrack = true;
                    break;
                case var a when RuleActions.TryGetValue(a, out var ruleAction):
                    action = ruleAction;
                    break;
                case "protocol" or "track_group":
                    var label = Value();
                    Dropped(word, context, $"rule option '{word.Text}{(label is null ? "" : " " + label.Text)}' has no place in the topology; the rule is imported without it");
                    break;
                case var t when RuleOptionsDroppingRule.Contains(t):
                    return DroppedRule(words[0], word, context, $"rule option '{t}' has no place in the topology, and without it the rule would match other packets or do otherwise");
                default:
                    return DroppedRule(words[0], word, context, $"keepalived 2.2.7 does not know the rule option '{word.Text}' (\"Unknown rule option\"; it takes preference or priority, not pref)");
            }
        }

        if (inet6 && from is null && to is null)
        {
            return DroppedRule(words[0], words[0], context, "an IPv6 rule without from or to has no place in the topology (its rules without selectors are IPv4)");
        }

        if (priority is null)
        {
            priority = _nextRulePriority--;
            Warning(
                "rule-priority",
                $"{context}: the rule has no preference; keepalived gives it {priority} (\"This is probably not what you want\"), and so does the import",
                words[0].Location);
        }

        return new IpRule(from, to, priority, action ?? RuleAction.Table, action is null or RuleAction.Table ? table : null, gotoPriority, mark, mask, iif, oif, !tracked || !noTrack);
    }

    private IpRule? DroppedRule(Token first, Token at, string context, string why)
    {
        Warning("rule-dropped", $"{context}: the rule is dropped{At(first, at)}: {why}", first.Location);
        return null;
    }

    /// <summary><c>MARK[/MASK]</c>, each decimal or 0x hex.</summary>
    private (uint Mark, uint? Mask)? Mark(Token token, string context)
    {
        var parts = token.Text.Split('/');
        if (parts.Length <= 2 && Number(parts[0]) is { } mark)
        {
            if (parts.Length == 1)
            {
                return (mark, null);
            }

            if (Number(parts[1]) is { } mask)
            {
                return (mark, mask);
            }
        }

        Error("invalid-value", $"{context}: fwmark '{token.Text}' is not MARK or MARK/MASK", token.Location);
        return null;

        static uint? Number(string text) =>
            text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null
                : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static readonly HashSet<string> AddressOptionsDropped = new(StringComparer.Ordinal)
    {
        "brd", "broadcast", "scope", "preferred_lft", "track_group",
    };

    private static readonly HashSet<string> AddressFlagsDropped = new(StringComparer.Ordinal)
    {
        "home", "-nodad", "nodad", "mngtmpaddr", "noprefixroute", "autojoin",
    };

    /// <summary><c>static_ipaddress</c>: <c>ADDR[/LEN] [dev IF] [label L] ...</c>; without dev, keepalived's
    /// default_interface, eth0.</summary>
    private void ReadStaticAddresses(ConfigStatement statement, List<StaticAddress> addresses, List<string> interfaces)
    {
        const string context = "static_ipaddress";
        foreach (var entry in Block(statement))
        {
            if (entry.HasBlock)
            {
                Error("syntax", $"{context}: an address does not take a {{ }} block", entry.Location);
                continue;
            }

            if (!InterfaceAddress.TryParse(entry.Name, out var address))
            {
                Error("invalid-value", $"{context}: '{entry.Name}' is not an address or address/prefix", entry.Location);
                continue;
            }

            string? device = null;
            string? label = null;
            var dropped = false;
            for (var i = 0; i < entry.Arguments.Count && !dropped; i++)
            {
                var option = entry.Arguments[i];
                var value = i + 1 < entry.Arguments.Count ? entry.Arguments[i + 1] : null;
                switch (option.Text)
                {
                    case "dev" when value is not null:
                        device = value.Text;
                        i++;
                        break;
                    case "label" when value is not null:
                        label = value.Text;
                        i++;
                        break;
                    case "peer":
                        Warning("address-dropped", $"{context}: the address is dropped ('peer' at column {option.Location.Column}): a point-to-point address has no place in the topology", entry.Location);
                        dropped = true;
                        break;
                    case var o when AddressOptionsDropped.Contains(o) && value is not null:
                        Dropped(option, context, $"address option '{o} {value.Text}' has no place in the topology; the address is imported without it");
                        i++;
                        break;
                    case var o when AddressFlagsDropped.Contains(o):
                        Dropped(option, context, $"address option '{o}' has no place in the topology; the address is imported without it");
                        break;
                    default:
                        Dropped(option, context, $"address option '{option.Text}' is not supported");
                        break;
                }
            }

            if (dropped)
            {
                continue;
            }

            if (device is null)
            {
                Warning("address-device", $"{context}: {entry.Name} has no dev; keepalived puts it on its default_interface, eth0, and so does the import", entry.Location);
                device = "eth0";
            }

            addresses.Add(new StaticAddress(device, address, label));
            interfaces.Add(device);
        }
    }
}
