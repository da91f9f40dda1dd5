using System.Net.Sockets;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// The topology's routes and rules to rtnetlink's and back (pure). What reconciler writes carries
/// <see cref="RouteNetlink.RTPROT_RECONCILER"/>; a delete carries it too, so it matches only what reconciler added.
/// </summary>
public static class RouteConversions
{
    /// <summary>The route to add: the scope <c>ip route add</c> picks when none is declared (link for a unicast route
    /// without a gateway, else universe).</summary>
    public static KernelRoute ToKernel(IpRoute route, int outputInterface, byte protocol = RouteNetlink.RTPROT_RECONCILER)
    {
        ArgumentNullException.ThrowIfNull(route);
        byte scope = route.Scope is { } declared
            ? ScopeToWire(declared)
            : route.Type == RouteType.Unicast && route.Via is null ? RouteNetlink.RT_SCOPE_LINK : RouteNetlink.RT_SCOPE_UNIVERSE;
        return new KernelRoute(
            RouteMessages.FamilyOf(route.Destination.Address),
            route.Destination,
            route.TableOrMain,
            protocol,
            scope,
            TypeToWire(route.Type),
            route.OnLink ? RouteNetlink.RTNH_F_ONLINK : 0,
            route.Via,
            outputInterface,
            route.Source,
            route.Metric);
    }

    /// <summary>The delete that matches the route reconciler added with this key: any scope, our protocol, and the
    /// metric spelled out (the kernel's default when none is declared).</summary>
    public static KernelRoute ToKernelDelete(IpRoute route, int outputInterface) =>
        ToKernel(route, outputInterface) with { Scope = RouteNetlink.RT_SCOPE_NOWHERE, Priority = RouteMatching.MetricOf(route) };

    /// <summary>A dumped route as the planner reads it, or null for one it never writes (local, broadcast, multicast
    /// routes, the local table's).</summary>
    public static ObservedRoute? FromKernel(KernelRoute route, string? interfaceName)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Table == RouteNetlink.RT_TABLE_LOCAL || TypeFromWire(route.Type) is not { } type)
        {
            return null;
        }

        var ipRoute = new IpRoute(
            route.Destination,
            type,
            route.Gateway,
            route.OutputInterface == 0 ? null : interfaceName ?? "if" + route.OutputInterface,
            route.PreferredSource,
            route.Table,
            route.Priority ?? 0,
            ScopeFromWire(route.Scope),
            route.OnLink);
        return new ObservedRoute(ipRoute, route.Protocol == RouteNetlink.RTPROT_RECONCILER);
    }

    /// <summary>The rule to add (or, with the priority read, to delete).</summary>
    public static KernelRule ToKernel(IpRule rule, AddressFamily family, byte protocol = RouteNetlink.RTPROT_RECONCILER)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new KernelRule(
            family == AddressFamily.InterNetworkV6 ? RouteNetlink.AF_INET6 : RouteNetlink.AF_INET,
            rule.From,
            rule.To,
            rule.Priority,
            ActionToWire(rule.Action),
            RouteMatching.TableOf(rule),
            rule.Action == RuleAction.Goto ? rule.GotoPriority : null,
            rule.FirewallMark,
            rule.FirewallMark is null ? null : rule.FirewallMask,
            rule.InputInterface,
            rule.OutputInterface,
            protocol);
    }

    /// <summary>A dumped rule as the planner reads it, or null for an action it never writes.</summary>
    public static ObservedRule? FromKernel(KernelRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (ActionFromWire(rule.Action) is not { } action)
        {
            return null;
        }

        var ipRule = new IpRule(
            rule.Source,
            rule.Destination,
            rule.Priority ?? 0,
            action,
            action == RuleAction.Table ? rule.Table : null,
            rule.Goto,
            rule.Mark,
            rule.Mask,
            rule.InputInterface,
            rule.OutputInterface);
        var family = rule.Family == RouteNetlink.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return new ObservedRule(family, ipRule, rule.Protocol == RouteNetlink.RTPROT_RECONCILER);
    }

    public static byte TypeToWire(RouteType type) => type switch
    {
        RouteType.Unicast => RouteNetlink.RTN_UNICAST,
        RouteType.Blackhole => RouteNetlink.RTN_BLACKHOLE,
        RouteType.Unreachable => RouteNetlink.RTN_UNREACHABLE,
        RouteType.Prohibit => RouteNetlink.RTN_PROHIBIT,
        RouteType.Throw => RouteNetlink.RTN_THROW,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static RouteType? TypeFromWire(byte type) => type switch
    {
        RouteNetlink.RTN_UNICAST => RouteType.Unicast,
        RouteNetlink.RTN_BLACKHOLE => RouteType.Blackhole,
        RouteNetlink.RTN_UNREACHABLE => RouteType.Unreachable,
        RouteNetlink.RTN_PROHIBIT => RouteType.Prohibit,
        RouteNetlink.RTN_THROW => RouteType.Throw,
        _ => null,
    };

    private static byte ScopeToWire(RouteScope scope) => scope switch
    {
        RouteScope.Universe => RouteNetlink.RT_SCOPE_UNIVERSE,
        RouteScope.Site => RouteNetlink.RT_SCOPE_SITE,
        RouteScope.Link => RouteNetlink.RT_SCOPE_LINK,
        RouteScope.Host => RouteNetlink.RT_SCOPE_HOST,
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    private static RouteScope? ScopeFromWire(byte scope) => scope switch
    {
        RouteNetlink.RT_SCOPE_UNIVERSE => RouteScope.Universe,
        RouteNetlink.RT_SCOPE_SITE => RouteScope.Site,
        RouteNetlink.RT_SCOPE_LINK => RouteScope.Link,
        RouteNetlink.RT_SCOPE_HOST => RouteScope.Host,
        _ => null,
    };

    private static byte ActionToWire(RuleAction action) => action switch
    {
        RuleAction.Table => RouteNetlink.FR_ACT_TO_TBL,
        RuleAction.Goto => RouteNetlink.FR_ACT_GOTO,
        RuleAction.Nop => RouteNetlink.FR_ACT_NOP,
        RuleAction.Blackhole => RouteNetlink.FR_ACT_BLACKHOLE,
        RuleAction.Unreachable => RouteNetlink.FR_ACT_UNREACHABLE,
        RuleAction.Prohibit => RouteNetlink.FR_ACT_PROHIBIT,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static RuleAction? ActionFromWire(byte action) => action switch
    {
        RouteNetlink.FR_ACT_TO_TBL => RuleAction.Table,
        RouteNetlink.FR_ACT_GOTO => RuleAction.Goto,
        RouteNetlink.FR_ACT_NOP => RuleAction.Nop,
        RouteNetlink.FR_ACT_BLACKHOLE => RuleAction.Blackhole,
        RouteNetlink.FR_ACT_UNREACHABLE => RuleAction.Unreachable,
        RouteNetlink.FR_ACT_PROHIBIT => RuleAction.Prohibit,
        _ => null,
    };
}
