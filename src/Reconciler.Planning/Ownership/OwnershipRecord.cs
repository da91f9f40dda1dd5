using System.Net;
using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Ownership;

/// <summary>
/// What this agent applied before and therefore owns: the services and destinations with the settings last
/// written, destinations being drained (since when), and virtual addresses it added. Anything in the kernel
/// that is neither in the topology nor here belongs to someone else and is left alone.
/// Comparing the kernel with this record is how drift (a change made by hand) is told from a topology change.
/// </summary>
public sealed record OwnershipRecord(IReadOnlyList<OwnedService> Services, IReadOnlyList<OwnedAddress> Addresses)
{
    // Index for Find, built on first use for the Services list it was built from (a `with` copy may replace the list).
    private (IReadOnlyList<OwnedService> Services, Dictionary<ServiceKey, OwnedService> ByKey)? _index;

    public static OwnershipRecord Empty { get; } = new([], []);

    /// <summary>The values the kernel parameters had before the first time this node changed them: put back once
    /// nothing needs them any more (a restart in between still knows them). A record written before they were kept
    /// reads with none (the source-generated reader sets a property its JSON lacks to null).</summary>
    public IReadOnlyDictionary<string, string> SysctlOriginals
    {
        get;
        init => field = value ?? new Dictionary<string, string>(StringComparer.Ordinal);
    } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The connection sync daemons this node started, with the settings it gave them (at most one per state).
    /// A record written before there were any reads with none.</summary>
    public IReadOnlyList<IpvsSyncDaemon> SyncDaemons { get; init => field = value ?? []; } = [];

    /// <summary>The static routes this node added, as declared. A record written before there were any reads with none.</summary>
    public IReadOnlyList<IpRoute> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The static policy rules this node added, as declared. A record written before there were any reads with none.</summary>
    public IReadOnlyList<IpRule> Rules { get; init => field = value ?? []; } = [];

    /// <summary>Whether this node added a route with the declared one's key (table, destination, metric).</summary>
    public bool OwnsRoute(IpRoute route) => Routes.Any(r => Observed.RouteMatching.SameKey(route, r));

    public bool OwnsRule(IpRule rule) => Rules.Any(r => SameRule(r, rule));

    /// <summary>Two declarations of one rule (whether it is tracked is VRRP's business, not the kernel's).</summary>
    public static bool SameRule(IpRule left, IpRule right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left with { Track = true } == right with { Track = true };
    }

    public IpvsSyncDaemon? FindSyncDaemon(IpvsSyncDaemonState state) => SyncDaemons.FirstOrDefault(d => d.State == state);

    public OwnedService? Find(ServiceKey key)
    {
        if (_index is not { } index || !ReferenceEquals(index.Services, Services))
        {
            index = (Services, Services.ToDictionary(s => s.Settings.Key));
            _index = index;
        }

        return index.ByKey.GetValueOrDefault(key);
    }

    public bool Owns(string interfaceName, InterfaceAddress address) =>
        Addresses.Any(a => a.Interface == interfaceName && a.Address.Address.Equals(address.Address));
}

/// <summary>A service this agent wrote, with its destinations.</summary>
public sealed record OwnedService(IpvsService Settings, IReadOnlyList<OwnedDestination> Destinations)
{
    /// <summary>The first destination at that address and port (a loop: the planner calls it once per real server).</summary>
    public OwnedDestination? Find(IPAddress address, ushort port)
    {
        for (var i = 0; i < Destinations.Count; i++)
        {
            var candidate = Destinations[i];
            if (candidate.Settings.Port == port && candidate.Settings.Address.Equals(address))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A destination this agent wrote; <see cref="DrainingSince"/> is set while it drains before deletion.</summary>
public sealed record OwnedDestination(IpvsDestination Settings, DateTimeOffset? DrainingSince = null);

/// <summary>A virtual address this agent added to an interface.</summary>
public sealed record OwnedAddress(string Interface, InterfaceAddress Address);
