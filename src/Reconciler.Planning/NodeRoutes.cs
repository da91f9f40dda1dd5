using System.Globalization;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Model;

namespace Reconciler.Planning;

/// <summary>
/// The planner's part for a node's static routes and policy rules. A declared route that is missing is added; one
/// whose key (table, destination, metric) the kernel holds with other settings is replaced in place. A route or rule
/// is removed only when the ownership record says this node added it, no static or VRRP declaration names it any
/// more, and the kernel's copy carries reconciler's protocol number: a route someone else added is never removed.
/// A VRRP instance's routes and rules are its router's: never a step here.
/// </summary>
internal static class NodeRoutes
{
    public static void Add(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        foreach (var wanted in desired.Routes)
        {
            if (!wanted.Present || wanted.Held)
            {
                continue;
            }

            var route = wanted.Route;
            var owned = record.OwnsRoute(route);
            var live = RouteMatching.FindByKey(observed.Routes, route);
            if (live is null)
            {
                steps.Add(new RouteStep(StepAction.Create, route, [], owned, owned ? "removed outside reconciler" : "static route"));
            }
            else if (!RouteMatching.Satisfies(route, live.Route))
            {
                var reason = owned ? "changed outside reconciler" : live.Ours ? "static route changed" : "a route reconciler did not add holds its table, destination and metric";
                steps.Add(new RouteStep(StepAction.Update, route, Changes(live.Route, route), owned && live.Ours, reason));
            }
        }

        foreach (var wanted in desired.Rules)
        {
            if (wanted.Present && !wanted.Held && RouteMatching.Find(observed.Rules, wanted.Rule) is null)
            {
                var owned = record.OwnsRule(wanted.Rule);
                steps.Add(new RuleStep(StepAction.Create, wanted.Rule, owned, owned ? "removed outside reconciler" : "static rule"));
            }
        }
    }

    /// <summary>Rules before routes (a rule points to a route's table), both before the addresses they may use.</summary>
    public static void Remove(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        foreach (var owned in record.Rules)
        {
            if (desired.Rules.Any(r => OwnershipRecord.SameRule(r.Rule, owned)) || desired.VrrpRules.Any(r => OwnershipRecord.SameRule(r.Rule, owned)))
            {
                continue;
            }

            if (observed.Rules.FirstOrDefault(o => o.Ours && RouteMatching.Satisfies(owned, o)) is { } live)
            {
                steps.Add(new RuleStep(StepAction.Delete, live.Rule, false, "removed from the topology"));
            }
        }

        foreach (var owned in record.Routes)
        {
            if (desired.Routes.Any(r => RouteMatching.SameKey(r.Route, owned)) || desired.VrrpRoutes.Any(r => RouteMatching.SameKey(r.Route, owned)))
            {
                continue;
            }

            if (RouteMatching.FindByKey(observed.Routes, owned) is { Ours: true } live)
            {
                steps.Add(new RouteStep(StepAction.Delete, live.Route, [], false, "removed from the topology"));
            }
        }
    }

    /// <summary>The declared fields that differ from the live route.</summary>
    private static List<FieldChange> Changes(IpRoute live, IpRoute wanted)
    {
        var changes = new List<FieldChange>();
        Compare("type", live.Type, wanted.Type);
        Compare("via", live.Via, wanted.Via);
        if (wanted.Interface is not null)
        {
            Compare("dev", live.Interface, wanted.Interface);
        }

        if (wanted.Source is not null)
        {
            Compare("src", live.Source, wanted.Source);
        }

        if (wanted.Scope is not null)
        {
            Compare("scope", live.Scope, wanted.Scope);
        }

        Compare("onlink", live.OnLink, wanted.OnLink);
        return changes;

        void Compare(string field, object? old, object? now)
        {
            if (!Equals(old, now))
            {
                changes.Add(new FieldChange(field, Text(old), Text(now)));
            }
        }

        static string Text(object? value) => value switch
        {
            null => "none",
            bool b => b ? "yes" : "no",
            Enum e => e.ToString().ToLowerInvariant(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none",
        };
    }
}
