using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Observed;

/// <summary>What the node's kernel holds right now, read fresh before every plan.</summary>
public sealed record ObservedState(IReadOnlyList<ServiceWithDestinations> Services, IReadOnlyList<ObservedAddress> Addresses)
{
    public static ObservedState Empty { get; } = new([], []);

    /// <summary>The kernel parameters the planner may change (<see cref="Desired.DesiredStateBuilder.ManagedSysctlNames"/>),
    /// as read; a parameter the node does not have is absent.</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The connection sync daemons the kernel runs (at most one master and one backup).</summary>
    public IReadOnlyList<IpvsSyncDaemon> SyncDaemons { get; init; } = [];

    /// <summary>The routes in the node's tables (the local table left out).</summary>
    public IReadOnlyList<ObservedRoute> Routes { get; init; } = [];

    /// <summary>The node's policy rules.</summary>
    public IReadOnlyList<ObservedRule> Rules { get; init; } = [];

    public bool HasAddress(string interfaceName, InterfaceAddress address) =>
        Addresses.Any(a => a.Interface == interfaceName && a.Address.Address.Equals(address.Address));
}

/// <summary>An address configured on an interface of the node.</summary>
public sealed record ObservedAddress(string Interface, InterfaceAddress Address);
