using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Ownership;

/// <summary>
/// How the ownership record follows an apply. Before executing, the record is widened with everything the plan
/// will create (<see cref="WithIntent"/>), so a process killed mid-apply still knows what it may have created;
/// afterwards it is recomputed from what is now true (<see cref="AfterApply"/>).
/// </summary>
public static class OwnershipUpdate
{
    public static OwnershipRecord WithIntent(OwnershipRecord record, Plan plan)
    {
        var services = record.Services.ToDictionary(s => s.Settings.Key);
        var addresses = record.Addresses.ToList();
        var originals = new Dictionary<string, string>(record.SysctlOriginals, StringComparer.Ordinal);
        var daemons = record.SyncDaemons.ToList();
        var routes = record.Routes.ToList();
        var rules = record.Rules.ToList();
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case ServiceStep { Action: StepAction.Create or StepAction.Update, Settings: { } settings }:
                    services[settings.Key] = new OwnedService(settings, services.GetValueOrDefault(settings.Key)?.Destinations ?? []);
                    break;
                case DestinationStep { Action: StepAction.Create } create:
                    var owner = services.GetValueOrDefault(create.Service);
                    if (owner is not null && owner.Find(create.Settings.Address, create.Settings.Port) is null)
                    {
                        services[create.Service] = owner with { Destinations = [.. owner.Destinations, new OwnedDestination(create.Settings)] };
                    }

                    break;
                case AddressStep { Action: StepAction.Create } address when !record.Owns(address.Interface, address.Address):
                    addresses.Add(new OwnedAddress(address.Interface, address.Address));
                    break;
                case SysctlStep sysctl when !originals.ContainsKey(sysctl.Name) && sysctl.Old != "unreadable":
                    originals[sysctl.Name] = sysctl.Old;
                    break;
                case SyncDaemonStep { Action: StepAction.Create or StepAction.Update } daemon:
                    daemons.RemoveAll(d => d.State == daemon.Settings.State);
                    daemons.Add(daemon.Settings);
                    break;
                case RouteStep { Action: StepAction.Create or StepAction.Update } route when !record.OwnsRoute(route.Route):
                    routes.Add(route.Route);
                    break;
                case RuleStep { Action: StepAction.Create } rule when !record.OwnsRule(rule.Rule):
                    rules.Add(rule.Rule);
                    break;
            }
        }

        return new OwnershipRecord(Order(services.Values), addresses)
        {
            SysctlOriginals = originals,
            SyncDaemons = daemons,
            Routes = routes,
            Rules = rules,
        };
    }

    /// <summary>
    /// The record after a plan ran: every desired object that now exists is owned with the settings it has; a
    /// draining destination keeps (or gets) its drain start; objects whose deletion failed stay owned; objects
    /// whose creation failed are not owned.
    /// </summary>
    public static OwnershipRecord AfterApply(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, ApplyResult result, DateTimeOffset now)
    {
        var failed = result.Steps.Where(s => !s.Succeeded).Select(s => s.Step).ToHashSet();
        var observedByKey = observed.Services.ToDictionary(s => s.Service.Key);
        var serviceSteps = plan.Steps.OfType<ServiceStep>().GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.First());
        var destinationSteps = plan.Steps.OfType<DestinationStep>().ToLookup(s => s.Service);
        var services = new Dictionary<ServiceKey, OwnedService>();

        foreach (var service in desired.Services)
        {
            var key = service.Service.Key;
            var live = observedByKey.GetValueOrDefault(key);
            var serviceStep = serviceSteps.GetValueOrDefault(key);
            IpvsService settings;
            if (serviceStep is null)
            {
                if (live is null)
                {
                    // Held (role unknown) and absent: nothing to own yet.
                    continue;
                }

                settings = service.Service;
            }
            else if (failed.Contains(serviceStep))
            {
                if (live is null)
                {
                    continue;
                }

                settings = live.Service;
            }
            else
            {
                settings = service.Service;
            }

            services[key] = new OwnedService(settings, OwnedDestinations(service, live, before.Find(key), destinationSteps[key].ToList(), plan, failed, now));
        }

        // Services that were to be removed but whose removal failed stay owned.
        foreach (var step in plan.Steps.OfType<ServiceStep>().Where(s => s.Action == StepAction.Delete && failed.Contains(s)))
        {
            if (before.Find(step.Key) is { } kept)
            {
                services[step.Key] = kept;
            }
        }

        return new OwnershipRecord(Order(services.Values), OwnedAddresses(before, desired, observed, plan, failed))
        {
            SysctlOriginals = SysctlOriginals(before, desired, observed, plan, failed),
            SyncDaemons = OwnedSyncDaemons(before, desired, observed, plan, failed),
            Routes = OwnedRoutes(before, desired, observed, plan, failed),
            Rules = OwnedRules(before, desired, observed, plan, failed),
        };
    }

    /// <summary>A declared static route is owned when this plan added or replaced it, or when it was owned and the
    /// kernel still holds reconciler's copy; a route no longer declared stays owned only while its removal failed.</summary>
    private static List<Topology.Model.IpRoute> OwnedRoutes(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, HashSet<PlanStep> failed)
    {
        var owned = new List<Topology.Model.IpRoute>();
        foreach (var wanted in desired.Routes.Where(r => r.Present && !r.Held))
        {
            var step = plan.Steps.OfType<RouteStep>().FirstOrDefault(s => s.Action != StepAction.Delete && RouteMatching.SameKey(s.Route, wanted.Route));
            var ours = step is null
                ? before.OwnsRoute(wanted.Route) && RouteMatching.FindByKey(observed.Routes, wanted.Route) is { Ours: true }
                : !failed.Contains(step);
            if (ours)
            {
                owned.Add(wanted.Route);
            }
        }

        foreach (var step in plan.Steps.OfType<RouteStep>().Where(s => s.Action == StepAction.Delete && failed.Contains(s)))
        {
            if (before.Routes.FirstOrDefault(r => RouteMatching.SameKey(r, step.Route)) is { } kept && !owned.Any(r => RouteMatching.SameKey(r, kept)))
            {
                owned.Add(kept);
            }
        }

        return owned;
    }

    /// <summary>As <see cref="OwnedRoutes"/>, for policy rules.</summary>
    private static List<Topology.Model.IpRule> OwnedRules(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, HashSet<PlanStep> failed)
    {
        var owned = new List<Topology.Model.IpRule>();
        foreach (var wanted in desired.Rules.Where(r => r.Present && !r.Held))
        {
            var step = plan.Steps.OfType<RuleStep>().FirstOrDefault(s => s.Action == StepAction.Create && OwnershipRecord.SameRule(s.Rule, wanted.Rule));
            var ours = step is null
                ? before.OwnsRule(wanted.Rule) && observed.Rules.Any(o => o.Ours && RouteMatching.Satisfies(wanted.Rule, o))
                : !failed.Contains(step);
            if (ours)
            {
                owned.Add(wanted.Rule);
            }
        }

        foreach (var step in plan.Steps.OfType<RuleStep>().Where(s => s.Action == StepAction.Delete && failed.Contains(s)))
        {
            if (before.Rules.FirstOrDefault(r => RouteMatching.Satisfies(r, new ObservedRule(r.Family, step.Rule, true))) is { } kept && !owned.Contains(kept))
            {
                owned.Add(kept);
            }
        }

        return owned;
    }

    /// <summary>A wanted daemon is owned with the settings it now runs with (started now, or already running as
    /// wanted); one whose start or restart failed stays owned as before if it still runs; one whose stop failed stays.</summary>
    private static List<Ipvs.IpvsSyncDaemon> OwnedSyncDaemons(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, HashSet<PlanStep> failed)
    {
        var owned = new List<Ipvs.IpvsSyncDaemon>();
        foreach (var wanted in desired.SyncDaemons)
        {
            var state = wanted.Daemon.State;
            var step = plan.Steps.OfType<SyncDaemonStep>().FirstOrDefault(s => s.Settings.State == state);
            var running = observed.SyncDaemons.FirstOrDefault(d => d.State == state);
            if (step is null)
            {
                if (running is not null && Desired.ConnectionSyncDaemons.Matches(wanted.Daemon, running))
                {
                    owned.Add(wanted.Daemon);
                }
            }
            else if (!failed.Contains(step))
            {
                owned.Add(step.Settings);
            }
            else if (running is not null && before.FindSyncDaemon(state) is { } previous)
            {
                owned.Add(previous);
            }
        }

        foreach (var step in plan.Steps.OfType<SyncDaemonStep>().Where(s => s.Action == StepAction.Delete && failed.Contains(s)))
        {
            if (before.FindSyncDaemon(step.Settings.State) is { } kept && !owned.Any(d => d.State == kept.State))
            {
                owned.Add(kept);
            }
        }

        return owned;
    }

    /// <summary>The first value found is kept for every parameter the node needs; a parameter it no longer needs is
    /// forgotten once its value is back (kept while putting it back failed).</summary>
    private static Dictionary<string, string> SysctlOriginals(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, HashSet<PlanStep> failed)
    {
        var originals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var wanted in desired.Sysctls)
        {
            if (before.SysctlOriginals.TryGetValue(wanted.Name, out var original) || observed.Sysctls.TryGetValue(wanted.Name, out original))
            {
                originals[wanted.Name] = original;
            }
        }

        foreach (var (name, original) in before.SysctlOriginals)
        {
            if (originals.ContainsKey(name))
            {
                continue;
            }

            var step = plan.Steps.OfType<SysctlStep>().FirstOrDefault(s => s.Name == name);
            var restored = step is null ? observed.Sysctls.GetValueOrDefault(name) == original : !failed.Contains(step);
            if (!restored)
            {
                originals[name] = original;
            }
        }

        return originals;
    }

    private static IReadOnlyList<OwnedDestination> OwnedDestinations(
        DesiredService service,
        ServiceWithDestinations? live,
        OwnedService? before,
        List<DestinationStep> steps,
        Plan plan,
        HashSet<PlanStep> failed,
        DateTimeOffset now)
    {
        var key = service.Service.Key;
        var owned = new List<OwnedDestination>();
        foreach (var wanted in service.Destinations)
        {
            var destination = wanted.Destination;
            var step = steps.FirstOrDefault(s => s.Settings.Address.Equals(destination.Address) && s.Settings.Port == destination.Port);
            var current = live?.Destinations.FirstOrDefault(d => d.Destination.Address.Equals(destination.Address) && d.Destination.Port == destination.Port);
            if (step is null)
            {
                if (current is not null)
                {
                    owned.Add(new OwnedDestination(destination));
                }
            }
            else if (!failed.Contains(step))
            {
                owned.Add(new OwnedDestination(destination));
            }
            else if (current is not null)
            {
                owned.Add(new OwnedDestination(current.Destination));
            }
        }

        // Leaving destinations: drained now, still draining, or whose deletion failed.
        foreach (var step in steps)
        {
            var previous = before?.Find(step.Settings.Address, step.Settings.Port);
            switch (step.Action)
            {
                case StepAction.Drain when !failed.Contains(step):
                    owned.Add(new OwnedDestination(step.Settings, previous?.DrainingSince ?? now));
                    break;
                case StepAction.Drain or StepAction.Delete when failed.Contains(step) && previous is not null:
                    owned.Add(previous);
                    break;
            }
        }

        foreach (var waiting in plan.Draining.Where(d => d.Service == key))
        {
            var current = live?.Destinations.FirstOrDefault(d => d.Destination.Endpoint == waiting.Endpoint);
            var drainStep = steps.Any(s => s.Action == StepAction.Drain && s.Settings.Endpoint == waiting.Endpoint);
            if (current is not null && !drainStep)
            {
                owned.Add(new OwnedDestination(current.Destination, waiting.Since));
            }
        }

        return owned;
    }

    private static List<OwnedAddress> OwnedAddresses(OwnershipRecord before, DesiredState desired, ObservedState observed, Plan plan, HashSet<PlanStep> failed)
    {
        var owned = new List<OwnedAddress>();
        foreach (var address in desired.Addresses.Where(a => a.Present))
        {
            var step = plan.Steps.OfType<AddressStep>().FirstOrDefault(s => s.Interface == address.Interface && s.Address.Address.Equals(address.Address.Address));
            var there = step is null ? observed.HasAddress(address.Interface, address.Address) : !failed.Contains(step);
            if (there)
            {
                owned.Add(new OwnedAddress(address.Interface, address.Address));
            }
        }

        foreach (var previous in before.Addresses)
        {
            if (desired.VrrpAddresses.Any(a => a.Interface == previous.Interface && a.Address.Address.Equals(previous.Address.Address)))
            {
                // A VRRP instance's address: its router's, not the executor's (records from before the split had them).
                continue;
            }

            var declared = desired.Addresses.FirstOrDefault(a => a.Interface == previous.Interface && a.Address.Address.Equals(previous.Address.Address));
            var step = plan.Steps.OfType<AddressStep>().FirstOrDefault(s => s.Action == StepAction.Delete && s.Interface == previous.Interface && s.Address.Address.Equals(previous.Address.Address));
            var keep = ((declared is null || declared.Held) && step is null && observed.HasAddress(previous.Interface, previous.Address)) || (step is not null && failed.Contains(step));
            if (keep && !owned.Any(o => o.Interface == previous.Interface && o.Address.Address.Equals(previous.Address.Address)))
            {
                owned.Add(previous);
            }
        }

        return owned;
    }

    private static List<OwnedService> Order(IEnumerable<OwnedService> services) =>
        services.OrderBy(s => s.Settings.Key.ToString(), StringComparer.Ordinal).ToList();
}
