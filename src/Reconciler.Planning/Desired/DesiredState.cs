using Reconciler.Ipvs;

namespace Reconciler.Planning.Desired;

/// <summary>
/// Everything this node keeps, from one function (<see cref="DesiredStateBuilder.Build"/>) for the CLI and the agent
/// alike: IPVS services with their destinations, the addresses the plan executor owns (the LVS-DR real-server VIPs on
/// <c>lo</c>), the kernel parameters it owns (<c>arp_ignore</c>/<c>arp_announce</c> while it holds such a VIP), and,
/// for reading only, the VRRP instances' virtual addresses with the role that decides them: those have one writer,
/// the VRRP router, which adds them in the same instant it becomes MASTER (as keepalived does). The planner never
/// plans a step for them, and never removes an address an instance declares.
/// </summary>
public sealed record DesiredState(string Node, IReadOnlyList<DesiredService> Services, IReadOnlyList<DesiredAddress> Addresses)
{
    public static DesiredState Empty(string node) => new(node, [], []);

    /// <summary>Kernel parameters this node must have, each with why. A saved plan written before there were any
    /// reads with none (the source-generated reader sets a property its JSON lacks to null).</summary>
    public IReadOnlyList<DesiredSysctl> Sysctls { get; init => field = value ?? []; } = [];

    /// <summary>The VRRP instances' virtual addresses on this node and whether the role makes them present: kept by
    /// the VRRP router, shown here so a plan says what VRRP holds; never a plan step. None when a saved plan lacks them.</summary>
    public IReadOnlyList<DesiredAddress> VrrpAddresses { get; init => field = value ?? []; } = [];

    /// <summary>The kernel's connection sync daemons this node runs (<see cref="ConnectionSyncDaemons"/>); none when a
    /// saved plan lacks them.</summary>
    public IReadOnlyList<DesiredSyncDaemon> SyncDaemons { get; init => field = value ?? []; } = [];

    /// <summary>The node's static routes (<see cref="Topology.Model.NodeNetwork.Routes"/>): the plan adds them, and
    /// removes one it added once the topology drops it. None when a saved plan lacks them.</summary>
    public IReadOnlyList<DesiredRoute> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The node's static policy rules; as <see cref="Routes"/>.</summary>
    public IReadOnlyList<DesiredRule> Rules { get; init => field = value ?? []; } = [];

    /// <summary>The VRRP instances' virtual routes on this node and whether the role makes them present: like
    /// <see cref="VrrpAddresses"/>, kept by the VRRP router (after its addresses), shown here, never a plan step.</summary>
    public IReadOnlyList<DesiredRoute> VrrpRoutes { get; init => field = value ?? []; } = [];

    /// <summary>The VRRP instances' virtual policy rules; as <see cref="VrrpRoutes"/>.</summary>
    public IReadOnlyList<DesiredRule> VrrpRules { get; init => field = value ?? []; } = [];

    public DesiredService? Find(ServiceKey key) => Services.FirstOrDefault(s => s.Service.Key == key);

    /// <summary>The VRRP virtual addresses the role says this node holds (it is MASTER) that <paramref name="observed"/>
    /// does not have: removed outside reconciler. Their one writer, the instance's router, puts them back.</summary>
    public IReadOnlyList<DesiredAddress> MissingVrrpAddresses(Observed.ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return [.. VrrpAddresses.Where(a => a.Present && !observed.HasAddress(a.Interface, a.Address))];
    }

    /// <summary>The VRRP virtual routes the role says this node holds that <paramref name="observed"/> lacks.</summary>
    public IReadOnlyList<DesiredRoute> MissingVrrpRoutes(Observed.ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return [.. VrrpRoutes.Where(r => r.Present && !observed.Routes.Any(o => Observed.RouteMatching.Satisfies(r.Route, o.Route)))];
    }

    /// <summary>The VRRP virtual rules the role says this node holds that <paramref name="observed"/> lacks.</summary>
    public IReadOnlyList<DesiredRule> MissingVrrpRules(Observed.ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return [.. VrrpRules.Where(r => r.Present && Observed.RouteMatching.Find(observed.Rules, r.Rule) is null)];
    }
}

/// <summary>One desired virtual service. <see cref="RemoveAtOnce"/> lists destinations that must leave
/// without draining (their real server failed its health check: its connections are dead anyway).</summary>
/// <param name="OnlyIfPresent">The service is bound to a VRRP instance whose role on this node is not known yet:
/// keep it in line if it exists, but neither create nor delete it.</param>
public sealed record DesiredService(
    string Name,
    IpvsService Service,
    IReadOnlyList<DesiredDestination> Destinations,
    IReadOnlyList<DestinationRemoval> RemoveAtOnce,
    bool OnlyIfPresent = false)
{
    /// <summary>The first destination at that address and port (a loop: the planner calls it once per real server).</summary>
    public DesiredDestination? Find(System.Net.IPAddress address, ushort port)
    {
        for (var i = 0; i < Destinations.Count; i++)
        {
            var candidate = Destinations[i];
            if (candidate.Destination.Port == port && candidate.Destination.Address.Equals(address))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A desired destination; <see cref="Reason"/> says why its runtime settings differ from the
/// topology (<c>health: tcp connect 10.0.0.101:80 refused, 3rd failure</c>), or is null.</summary>
public sealed record DesiredDestination(IpvsDestination Destination, string? Reason = null);

/// <summary>A destination to delete at once, with the reason (shown in the plan).</summary>
public sealed record DestinationRemoval(System.Net.IPAddress Address, ushort Port, string Reason);

/// <summary>An address on an interface of this node. For a VRRP instance's address (<see cref="DesiredState.VrrpAddresses"/>):
/// <see cref="Present"/> when this node is MASTER, <see cref="Held"/> while the role is not known yet. For an address
/// the executor owns (<see cref="DesiredState.Addresses"/>), <see cref="Instance"/> names what it serves and
/// <see cref="Reason"/> says why the node holds it (shown in the plan).</summary>
public sealed record DesiredAddress(string Interface, Topology.Model.InterfaceAddress Address, string Instance, bool Present, bool Held = false, string? Reason = null);

/// <summary>A connection sync daemon this node runs for VRRP instance <see cref="Instance"/>.</summary>
public sealed record DesiredSyncDaemon(IpvsSyncDaemon Daemon, string Instance);

/// <summary>A kernel parameter (<c>net.ipv4.conf.all.arp_ignore</c>) this node must have, and why.</summary>
public sealed record DesiredSysctl(string Name, string Value, string Reason);
