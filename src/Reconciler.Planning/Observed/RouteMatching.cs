using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Observed;

/// <summary>
/// When a route or rule the topology declares is the one the kernel holds. A declared field left null is the
/// kernel's choice and matches whatever it chose. Routes have a key, what the kernel tells routes apart by (family,
/// table, destination, metric): a route with the declared key but other settings is replaced in place.
/// </summary>
public static class RouteMatching
{
    /// <summary>The metric the kernel gives a route added without one: 0 for IPv4, 1024 for IPv6.</summary>
    public static uint DefaultMetric(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 1024u : 0u;

    public static uint MetricOf(IpRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Metric ?? DefaultMetric(route.Destination.Family);
    }

    /// <summary>Same family, table, destination and metric: the kernel holds at most one of them.</summary>
    public static bool SameKey(IpRoute declared, IpRoute observed)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(observed);
        return declared.Destination == observed.Destination && declared.TableOrMain == observed.TableOrMain && MetricOf(declared) == MetricOf(observed);
    }

    /// <summary>The observed route is the declared one: same key, and every field the declaration gives. The scope
    /// of an IPv6 route is not compared (the kernel keeps none).</summary>
    public static bool Satisfies(IpRoute declared, IpRoute observed) =>
        SameKey(declared, observed)
        && declared.Type == observed.Type
        && Equals(declared.Via, observed.Via)
        && (declared.Interface is null || declared.Interface == observed.Interface)
        && (declared.Source is null || declared.Source.Equals(observed.Source))
        && (declared.Scope is null || declared.Destination.Family == AddressFamily.InterNetworkV6 || declared.Scope == observed.Scope)
        && declared.OnLink == observed.OnLink;

    /// <summary>The observed route with the declared one's key, or null.</summary>
    public static ObservedRoute? FindByKey(IReadOnlyList<ObservedRoute> observed, IpRoute declared)
    {
        ArgumentNullException.ThrowIfNull(observed);
        for (var i = 0; i < observed.Count; i++)
        {
            if (SameKey(declared, observed[i].Route))
            {
                return observed[i];
            }
        }

        return null;
    }

    /// <summary>The table a rule looks up: the declared one, main when a table rule names none (as <c>ip rule</c>
    /// does), none for the other actions.</summary>
    public static uint TableOf(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Action == RuleAction.Table ? rule.Table ?? IpRoute.MainTable : 0;
    }

    /// <summary>The observed rule is the declared one: same family, selectors and action; the priority too when one
    /// is declared; a mark's mask compared as the kernel keeps it (all bits when none is given).</summary>
    public static bool Satisfies(IpRule declared, ObservedRule observed)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(observed);
        var rule = observed.Rule;
        return declared.Family == observed.Family
            && declared.From == rule.From
            && declared.To == rule.To
            && (declared.Priority is null || declared.Priority == rule.Priority)
            && declared.Action == rule.Action
            && TableOf(declared) == TableOf(rule)
            && declared.GotoPriority == rule.GotoPriority
            && declared.FirewallMark == rule.FirewallMark
            && MaskOf(declared) == MaskOf(rule)
            && declared.InputInterface == rule.InputInterface
            && declared.OutputInterface == rule.OutputInterface;
    }

    /// <summary>The first observed rule that is the declared one, or null.</summary>
    public static ObservedRule? Find(IReadOnlyList<ObservedRule> observed, IpRule declared)
    {
        ArgumentNullException.ThrowIfNull(observed);
        for (var i = 0; i < observed.Count; i++)
        {
            if (Satisfies(declared, observed[i]))
            {
                return observed[i];
            }
        }

        return null;
    }

    private static uint? MaskOf(IpRule rule) => rule.FirewallMark is null ? null : rule.FirewallMask ?? uint.MaxValue;
}
