using System.Net.Sockets;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Route;

/// <summary>Routes and policy rules: dump, idempotent add and delete (RTM_*ROUTE, RTM_*RULE).</summary>
public sealed partial class RtnetlinkClient
{
    /// <summary>Every route of a family (<see cref="AddressFamily.Unspecified"/>: both) in every table, RTM_GETROUTE
    /// dump; cached IPv6 routes and multipath routes are left out.</summary>
    public IReadOnlyList<KernelRoute> GetRoutes(AddressFamily family = AddressFamily.Unspecified)
    {
        var routes = new List<KernelRoute>();
        lock (_lock)
        {
            _connection.Request(
                "RTM_GETROUTE",
                RouteNetlink.RTM_GETROUTE,
                0,
                (List: routes, Family: WireFamily(family)),
                static (ref NetlinkMessageWriter w, (List<KernelRoute> List, byte Family) s) => RouteMessages.WriteRouteDumpRequest(ref w, s.Family),
                static (reply, s) =>
                {
                    if (reply.Header.Type == RouteNetlink.RTM_NEWROUTE && RouteMessages.TryReadRoute(reply, out var route))
                    {
                        s.List.Add(route!);
                    }
                },
                dump: true);
        }

        return routes;
    }

    /// <summary>
    /// Adds a route (RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL). Returns false when a route with its key (table,
    /// destination, metric) was already there (EEXIST): adding is idempotent. With <paramref name="replace"/> the
    /// route with that key is replaced in place instead (NLM_F_REPLACE), so traffic never sees it missing.
    /// </summary>
    public bool AddRoute(KernelRoute route, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(route);
        ushort flags = (ushort)(NetlinkConstants.NLM_F_CREATE | (replace ? NetlinkConstants.NLM_F_REPLACE : NetlinkConstants.NLM_F_EXCL));
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_NEWROUTE {route}",
                    RouteNetlink.RTM_NEWROUTE,
                    flags,
                    route,
                    static (ref NetlinkMessageWriter w, KernelRoute r) => RouteMessages.WriteRouteRequest(ref w, r));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Native.Errno.EEXIST && !replace)
            {
                return false;
            }
        }
    }

    /// <summary>Deletes a route (RTM_DELROUTE; the kernel deletes the first that matches every field given, a scope
    /// of <see cref="RouteNetlink.RT_SCOPE_NOWHERE"/> and a protocol of 0 matching any). Returns false when none
    /// matched (ESRCH): deleting is idempotent.</summary>
    public bool DeleteRoute(KernelRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_DELROUTE {route}",
                    RouteNetlink.RTM_DELROUTE,
                    0,
                    route,
                    static (ref NetlinkMessageWriter w, KernelRoute r) => RouteMessages.WriteRouteRequest(ref w, r));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == RouteNetlink.ESRCH)
            {
                return false;
            }
        }
    }

    /// <summary>Every policy rule of a family (<see cref="AddressFamily.Unspecified"/>: both), RTM_GETRULE dump.</summary>
    public IReadOnlyList<KernelRule> GetRules(AddressFamily family = AddressFamily.Unspecified)
    {
        var rules = new List<KernelRule>();
        lock (_lock)
        {
            _connection.Request(
                "RTM_GETRULE",
                RouteNetlink.RTM_GETRULE,
                0,
                (List: rules, Family: WireFamily(family)),
                static (ref NetlinkMessageWriter w, (List<KernelRule> List, byte Family) s) => RouteMessages.WriteRuleDumpRequest(ref w, s.Family),
                static (reply, s) =>
                {
                    if (reply.Header.Type == RouteNetlink.RTM_NEWRULE && RouteMessages.TryReadRule(reply, out var rule))
                    {
                        s.List.Add(rule!);
                    }
                },
                dump: true);
        }

        return rules;
    }

    /// <summary>Adds a policy rule (RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL). Returns false when the same rule was
    /// already there (EEXIST): adding is idempotent.</summary>
    public bool AddRule(KernelRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_NEWRULE {rule}",
                    RouteNetlink.RTM_NEWRULE,
                    NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL,
                    rule,
                    static (ref NetlinkMessageWriter w, KernelRule r) => RouteMessages.WriteRuleRequest(ref w, r));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == Native.Errno.EEXIST)
            {
                return false;
            }
        }
    }

    /// <summary>Deletes the first policy rule matching every field given (RTM_DELRULE). Returns false when none
    /// matched (ENOENT): deleting is idempotent.</summary>
    public bool DeleteRule(KernelRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_lock)
        {
            try
            {
                _connection.Request(
                    $"RTM_DELRULE {rule}",
                    RouteNetlink.RTM_DELRULE,
                    0,
                    rule,
                    static (ref NetlinkMessageWriter w, KernelRule r) => RouteMessages.WriteRuleRequest(ref w, r));
                return true;
            }
            catch (NetlinkException e) when (e.Errno == RouteNetlink.ENOENT)
            {
                return false;
            }
        }
    }

    private static byte WireFamily(AddressFamily family) => family switch
    {
        AddressFamily.Unspecified => RouteNetlink.AF_UNSPEC,
        AddressFamily.InterNetwork => RouteNetlink.AF_INET,
        AddressFamily.InterNetworkV6 => RouteNetlink.AF_INET6,
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };
}
