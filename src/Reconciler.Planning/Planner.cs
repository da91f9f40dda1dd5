using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning;

/// <summary>
/// Computes the exact difference between what this node should hold and what its kernel holds.
/// Pure: the same inputs always give the same plan.
/// <list type="bullet">
/// <item>Minimal: nothing already right is touched; what the kernel can change in place is an update.</item>
/// <item>Safe order: kernel parameters first (an LVS-DR node ignores ARP for the VIP before it holds it on lo), then
/// addresses, then static routes (which may use them as source or gateway), then rules (which point to the routes'
/// tables); services before their real servers; new real servers before old ones leave; real servers before their
/// service on removal; rules, routes and addresses go last, in that order, and parameters are put back after them.</item>
/// <item>One writer per object: a VRRP instance's virtual addresses are the VRRP router's; the planner plans no step
/// for them and never removes one an instance declares.</item>
/// <item>Ownership: only what the topology declares or the record says was applied is touched; anything else is
/// reported as unmanaged (and deleted only with <see cref="PlannerOptions.PruneUnmanaged"/>).</item>
/// <item>Drift: a step repairing a difference from what was last applied is marked as drift.</item>
/// </list>
/// </summary>
public static class Planner
{
    public static Plan Create(DesiredState desired, ObservedState observed, OwnershipRecord record, PlannerOptions options)
    {
        // Each service is looked up once: its live entry and its record, used by all three passes below. An observed
        // service some desired one matched is marked, which is how the unmanaged pass knows it is wanted.
        var observedIndex = IndexByKey(observed.Services);
        var declared = new bool[observed.Services.Count];
        var pairs = new (ServiceWithDestinations? Live, OwnedService? Owned, bool LiveAllWanted)[desired.Services.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            var key = desired.Services[i].Service.Key;
            ServiceWithDestinations? live = null;
            if (observedIndex.TryGetValue(key, out var index))
            {
                live = observed.Services[index];
                declared[index] = true;
            }

            pairs[i] = (live, record.Find(key), false);
        }

        var steps = new List<PlanStep>();
        var draining = new List<DrainingDestination>();

        SetSysctls(desired, observed, record, steps);
        AddAddresses(desired, observed, record, steps);
        NodeRoutes.Add(desired, observed, record, steps);
        PlanSyncDaemons(desired, observed, record, options, steps);
        for (var i = 0; i < pairs.Length; i++)
        {
            PlanServiceSettings(desired.Services[i], pairs[i].Live, pairs[i].Owned, steps);
        }

        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i].LiveAllWanted = PlanDestinationsToKeep(desired.Services[i], pairs[i].Live, pairs[i].Owned, steps);
        }

        for (var i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Live is { } live && !pairs[i].LiveAllWanted)
            {
                PlanDestinationsToRemove(desired.Services[i], live, pairs[i].Owned, options, steps, draining);
            }
        }

        var unmanaged = new List<UnmanagedService>();
        for (var i = 0; i < observed.Services.Count; i++)
        {
            if (declared[i])
            {
                continue;
            }

            var live = observed.Services[i];
            var owned = record.Find(live.Service.Key);
            if (owned is not null)
            {
                RemoveService(live, name: null, isDrift: false, reason: "removed from the topology", steps);
            }
            else if (options.PruneUnmanaged)
            {
                RemoveService(live, name: null, isDrift: false, reason: "unmanaged, pruned", steps);
            }
            else
            {
                unmanaged.Add(new UnmanagedService(live.Service.Key, live.Destinations.Count));
            }
        }

        NodeRoutes.Remove(desired, observed, record, steps);
        RemoveAddresses(desired, observed, record, steps);
        RestoreSysctls(desired, observed, record, steps);
        return new Plan(desired.Node, steps, unmanaged, draining, ObservedFingerprint.Of(observed));
    }

    /// <summary>Where each key is in the observed list; a key listed twice is an error, as the kernel cannot.</summary>
    private static Dictionary<ServiceKey, int> IndexByKey(IReadOnlyList<ServiceWithDestinations> services)
    {
        var index = new Dictionary<ServiceKey, int>(services.Count);
        for (var i = 0; i < services.Count; i++)
        {
            if (!index.TryAdd(services[i].Service.Key, i))
            {
                throw new ArgumentException($"the observed state lists {services[i].Service.Key} twice", nameof(services));
            }
        }

        return index;
    }

    /// <summary>
    /// The connection sync daemons: a wanted one that does not run is started (drift when the record says it ran); one
    /// that runs with other settings is restarted with the wanted ones (the kernel changes nothing in a running
    /// daemon); one running that is not wanted is stopped when this node started it (or with pruning), else left.
    /// </summary>
    private static void PlanSyncDaemons(DesiredState desired, ObservedState observed, OwnershipRecord record, PlannerOptions options, List<PlanStep> steps)
    {
        foreach (var wanted in desired.SyncDaemons)
        {
            var daemon = wanted.Daemon;
            var running = observed.SyncDaemons.FirstOrDefault(d => d.State == daemon.State);
            var owned = record.FindSyncDaemon(daemon.State);
            if (running is null)
            {
                steps.Add(new SyncDaemonStep(StepAction.Create, daemon, wanted.Instance, [], IsDrift: owned is not null, Reason: null));
            }
            else if (!ConnectionSyncDaemons.Matches(daemon, running))
            {
                var drift = owned is not null && !ConnectionSyncDaemons.Matches(owned, running);
                var reason = owned is null ? "a daemon reconciler did not start runs with other settings" : null;
                steps.Add(new SyncDaemonStep(StepAction.Update, daemon, wanted.Instance, ConnectionSyncDaemons.Changes(running, daemon), drift, reason));
            }
        }

        foreach (var running in observed.SyncDaemons)
        {
            if (desired.SyncDaemons.Any(d => d.Daemon.State == running.State))
            {
                continue;
            }

            if (record.FindSyncDaemon(running.State) is not null)
            {
                steps.Add(new SyncDaemonStep(StepAction.Delete, running, null, [], IsDrift: false, "removed from the topology"));
            }
            else if (options.PruneUnmanaged)
            {
                steps.Add(new SyncDaemonStep(StepAction.Delete, running, null, [], IsDrift: false, "unmanaged, pruned"));
            }
        }
    }

    private static void AddAddresses(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        foreach (var address in desired.Addresses)
        {
            if (address.Present && !address.Held && !observed.HasAddress(address.Interface, address.Address))
            {
                var drift = record.Owns(address.Interface, address.Address);
                steps.Add(new AddressStep(StepAction.Create, address.Interface, address.Address, address.Reason is null ? address.Instance : null, drift,
                    drift ? "removed outside reconciler" : address.Reason ?? $"MASTER of {address.Instance}"));
            }
        }
    }

    private static void RemoveAddresses(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        if (desired.Addresses.Count == 0 && record.Addresses.Count == 0)
        {
            return;
        }

        var planned = new HashSet<(string, System.Net.IPAddress)>();
        foreach (var address in desired.Addresses)
        {
            if (!address.Present && !address.Held && observed.HasAddress(address.Interface, address.Address) && planned.Add((address.Interface, address.Address.Address)))
            {
                steps.Add(new AddressStep(StepAction.Delete, address.Interface, address.Address, address.Instance, false, $"not MASTER of {address.Instance}"));
            }
        }

        // Addresses this agent added that no instance declares any more.
        foreach (var owned in record.Addresses)
        {
            if (!Declares(desired, owned) && observed.HasAddress(owned.Interface, owned.Address) && planned.Add((owned.Interface, owned.Address.Address)))
            {
                steps.Add(new AddressStep(StepAction.Delete, owned.Interface, owned.Address, null, false, "removed from the topology"));
            }
        }
    }

    /// <summary>Whether the desired state names this address: as one the executor keeps, or as a VRRP instance's
    /// (whose one writer is the VRRP router: never removed here).</summary>
    private static bool Declares(DesiredState desired, OwnedAddress owned)
    {
        foreach (var a in desired.Addresses)
        {
            if (a.Interface == owned.Interface && a.Address.Address.Equals(owned.Address.Address))
            {
                return true;
            }
        }

        foreach (var a in desired.VrrpAddresses)
        {
            if (a.Interface == owned.Interface && a.Address.Address.Equals(owned.Address.Address))
            {
                return true;
            }
        }

        return false;
    }

    private static void SetSysctls(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        foreach (var wanted in desired.Sysctls)
        {
            var current = observed.Sysctls.GetValueOrDefault(wanted.Name);
            if (current != wanted.Value)
            {
                var drift = current is not null && record.SysctlOriginals.ContainsKey(wanted.Name);
                steps.Add(new SysctlStep(StepAction.Update, wanted.Name, current ?? "unreadable", wanted.Value, drift,
                    drift ? "changed outside reconciler" : wanted.Reason));
            }
        }
    }

    /// <summary>Parameters this node changed and no longer needs get the values it found before.</summary>
    private static void RestoreSysctls(DesiredState desired, ObservedState observed, OwnershipRecord record, List<PlanStep> steps)
    {
        foreach (var (name, original) in record.SysctlOriginals.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (desired.Sysctls.Any(s => s.Name == name))
            {
                continue;
            }

            if (observed.Sysctls.GetValueOrDefault(name) is { } current && current != original)
            {
                steps.Add(new SysctlStep(StepAction.Update, name, current, original, false,
                    "no LVS-DR VIP on lo any more: the value found before reconciler changed it"));
            }
        }
    }

    private static void PlanServiceSettings(DesiredService service, ServiceWithDestinations? live, OwnedService? owned, List<PlanStep> steps)
    {
        var key = service.Service.Key;
        if (live is null)
        {
            if (!service.OnlyIfPresent)
            {
                var drift = owned is not null;
                steps.Add(new ServiceStep(StepAction.Create, key, service.Name, service.Service, [], drift, drift ? "deleted outside reconciler" : null));
            }

            return;
        }

        if (live.Service != service.Service)
        {
            var drift = owned is not null && owned.Settings != live.Service;
            steps.Add(new ServiceStep(StepAction.Update, key, service.Name, service.Service, FieldChanges.Between(live.Service, service.Service), drift,
                drift ? "changed outside reconciler" : null));
        }
    }

    /// <summary>Creates and updates the wanted real servers. Returns true when every live real server of the service
    /// turned out to be wanted (each matched a different desired one), so there is nothing to remove from it.</summary>
    private static bool PlanDestinationsToKeep(DesiredService service, ServiceWithDestinations? live, OwnedService? owned, List<PlanStep> steps)
    {
        if (live is null)
        {
            if (!service.OnlyIfPresent)
            {
                for (var i = 0; i < service.Destinations.Count; i++)
                {
                    var wanted = service.Destinations[i];
                    steps.Add(new DestinationStep(StepAction.Create, service.Service.Key, service.Name, wanted.Destination, [], false, wanted.Reason));
                }
            }

            return false;
        }

        var key = service.Service.Key;
        var liveDestinations = live.Destinations;
        // Which live real servers were matched, while there are few enough to keep a bit each.
        var matched = 0UL;
        var trackMatches = liveDestinations.Count <= 64;
        for (var i = 0; i < service.Destinations.Count; i++)
        {
            var wanted = service.Destinations[i];
            var destination = wanted.Destination;
            var index = IndexOf(liveDestinations, destination.Address, destination.Port);
            var current = index < 0 ? null : liveDestinations[index];
            if (trackMatches && index >= 0)
            {
                matched |= 1UL << index;
            }

            if (current is null)
            {
                var drift = owned?.Find(destination.Address, destination.Port) is not null;
                steps.Add(new DestinationStep(StepAction.Create, key, service.Name, destination, [], drift,
                    drift ? "deleted outside reconciler" : wanted.Reason));
            }
            else if (current.Destination != destination)
            {
                var ownedDestination = owned?.Find(destination.Address, destination.Port);
                var wasDraining = ownedDestination?.DrainingSince is not null;
                var drift = !wasDraining && ownedDestination is not null && ownedDestination.Settings != current.Destination;
                var reason = wasDraining ? "wanted again while draining" : drift ? "changed outside reconciler" : wanted.Reason;
                steps.Add(new DestinationStep(StepAction.Update, key, service.Name, destination, FieldChanges.Between(current.Destination, destination), drift, reason));
            }
        }

        return trackMatches && matched == (liveDestinations.Count == 64 ? ulong.MaxValue : (1UL << liveDestinations.Count) - 1);
    }

    private static void PlanDestinationsToRemove(
        DesiredService service,
        ServiceWithDestinations live,
        OwnedService? owned,
        PlannerOptions options,
        List<PlanStep> steps,
        List<DrainingDestination> draining)
    {
        var key = service.Service.Key;
        for (var i = 0; i < live.Destinations.Count; i++)
        {
            var current = live.Destinations[i];
            var destination = current.Destination;
            if (service.Find(destination.Address, destination.Port) is not null)
            {
                continue;
            }

            var ownedDestination = owned?.Find(destination.Address, destination.Port);
            // A real server nobody declared, in a service this agent owns: someone added it by hand.
            var drift = owned is not null && ownedDestination is null;
            if (FindRemoval(service.RemoveAtOnce, destination) is { } removal)
            {
                steps.Add(new DestinationStep(StepAction.Delete, key, service.Name, destination, [], drift, removal.Reason));
                continue;
            }

            if (drift || key.Protocol == IpvsProtocol.Udp)
            {
                steps.Add(new DestinationStep(StepAction.Delete, key, service.Name, destination, [], drift,
                    drift ? "added outside reconciler" : "removed from the topology (UDP: no drain)"));
                continue;
            }

            var since = ownedDestination?.DrainingSince ?? options.Now;
            var deadline = since + options.DrainTimeout;
            var connections = current.ActiveConnections + current.InactiveConnections;
            if (connections == 0)
            {
                steps.Add(new DestinationStep(StepAction.Delete, key, service.Name, destination, [], false, "removed from the topology; no connections left"));
            }
            else if (options.Now >= deadline)
            {
                steps.Add(new DestinationStep(StepAction.Delete, key, service.Name, destination, [], false,
                    $"removed from the topology; drain timeout passed with {connections} connections"));
            }
            else
            {
                if (destination.Weight != 0)
                {
                    var drained = destination with { Weight = 0 };
                    steps.Add(new DestinationStep(StepAction.Drain, key, service.Name, drained, FieldChanges.Between(destination, drained), false,
                        $"removed from the topology; draining {connections} connections"));
                }

                draining.Add(new DrainingDestination(key, destination.Endpoint, current.ActiveConnections, current.InactiveConnections, since, deadline));
            }
        }
    }

    private static void RemoveService(ServiceWithDestinations live, string? name, bool isDrift, string reason, List<PlanStep> steps)
    {
        for (var i = 0; i < live.Destinations.Count; i++)
        {
            steps.Add(new DestinationStep(StepAction.Delete, live.Service.Key, name, live.Destinations[i].Destination, [], isDrift, reason));
        }

        steps.Add(new ServiceStep(StepAction.Delete, live.Service.Key, name, null, [], isDrift, reason));
    }

    /// <summary>Where the first live destination at that address and port is, or -1 (a loop: this runs once per real server).</summary>
    private static int IndexOf(IReadOnlyList<DestinationEntry> destinations, System.Net.IPAddress address, ushort port)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            var candidate = destinations[i].Destination;
            if (candidate.Port == port && candidate.Address.Equals(address))
            {
                return i;
            }
        }

        return -1;
    }

    private static DestinationRemoval? FindRemoval(IReadOnlyList<DestinationRemoval> removals, IpvsDestination destination)
    {
        for (var i = 0; i < removals.Count; i++)
        {
            if (removals[i].Address.Equals(destination.Address) && removals[i].Port == destination.Port)
            {
                return removals[i];
            }
        }

        return null;
    }
}
