using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>
/// The kernel's connection sync daemons a node runs: for the (one) VRRP instance it takes part in that asks for
/// connection synchronisation, both the master daemon, which multicasts the connections this node forwards, and the
/// backup daemon, which keeps the peer's, whatever the node's role. That is keepalived's mode since 2.1 when
/// <c>lvs_sync_daemon</c> names no instance, chosen over its older role-following mode (backup daemon while BACKUP,
/// master daemon while MASTER): no daemon is stopped or started in the instant of a takeover, a returning node
/// receives the connections the other forwards from its first second, and in a partition where both nodes are
/// MASTER each still learns the other's connections. The kernel's <c>backup_only</c> parameter must stay 0 (its
/// default) for a node with a backup daemon to forward.
/// </summary>
public static class ConnectionSyncDaemons
{
    /// <summary>Multicast group, port and TTL the kernel uses when a start request leaves them out.</summary>
    public static readonly System.Net.IPAddress DefaultGroup = System.Net.IPAddress.Parse("224.0.0.81");
    public const ushort DefaultPort = 8848;
    public const byte DefaultTtl = 1;

    /// <summary>
    /// <c>net.ipv4.vs.sloppy_tcp=1</c> on a node that synchronises connections: a connection whose handshake straddles
    /// a takeover (its SYN through the old MASTER, its ACK to the new one, whose synced table does not have it: the
    /// kernel syncs only established states) is then scheduled by the packet that arrives instead of reset by the local
    /// stack. With a scheduler that decides the same on both nodes (<c>mh</c> with <c>mh-port</c>, <c>sh</c>, or
    /// persistence) it reaches the real server that has its other half.
    /// </summary>
    public static DesiredSysctl SloppyTcp { get; } = new("net.ipv4.vs.sloppy_tcp", "1", "connection sync: a handshake that straddles a takeover is scheduled, not reset");

    public static IReadOnlyList<DesiredSyncDaemon> For(TopologyModel topology, string node)
    {
        foreach (var instance in topology.VrrpInstances.AsSpan())
        {
            if (instance.ConnectionSync is not { } sync || !instance.Priorities.ContainsKey(node))
            {
                continue;
            }

            var master = new IpvsSyncDaemon(
                IpvsSyncDaemonState.Master,
                sync.Interface ?? instance.InterfaceFor(node),
                (byte)(sync.SyncId ?? instance.VirtualRouterId),
                (ushort?)sync.MaxLength,
                sync.Group,
                (ushort?)sync.Port,
                (byte?)sync.Ttl);
            return [new DesiredSyncDaemon(master, instance.Name), new DesiredSyncDaemon(master with { State = IpvsSyncDaemonState.Backup }, instance.Name)];
        }

        return [];
    }

    /// <summary>
    /// Whether a running daemon is the one wanted: same state, interface and sync id, and each optional setting either
    /// as wanted or, when the topology leaves it out, the kernel's default (the kernel reports its defaults; the
    /// message length it derives from the interface's MTU, so an unset length matches any; a kernel older than 4.3
    /// reports none of the optional settings).
    /// </summary>
    public static bool Matches(IpvsSyncDaemon wanted, IpvsSyncDaemon running) =>
        wanted.State == running.State
        && wanted.MulticastInterface == running.MulticastInterface
        && wanted.SyncId == running.SyncId
        && (wanted.SyncMaxLength is null || running.SyncMaxLength is null || wanted.SyncMaxLength == running.SyncMaxLength)
        && (running.MulticastGroup is null || (wanted.MulticastGroup ?? DefaultGroup).Equals(running.MulticastGroup)
            || (wanted.MulticastGroup is null && running.MulticastGroup.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
        && (running.MulticastPort is null || (wanted.MulticastPort ?? DefaultPort) == running.MulticastPort)
        && (running.MulticastTtl is null || (wanted.MulticastTtl ?? DefaultTtl) == running.MulticastTtl);

    /// <summary>The settings that differ, as a plan prints them (<c>port: 8848 -> 9000</c>).</summary>
    public static IReadOnlyList<Plans.FieldChange> Changes(IpvsSyncDaemon running, IpvsSyncDaemon wanted)
    {
        var changes = new List<Plans.FieldChange>();
        Add("interface", running.MulticastInterface, wanted.MulticastInterface);
        Add("sync id", running.SyncId.ToString(System.Globalization.CultureInfo.InvariantCulture), wanted.SyncId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (wanted.SyncMaxLength is { } length)
        {
            Add("max length", running.SyncMaxLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Add("group", running.MulticastGroup?.ToString() ?? "default", (wanted.MulticastGroup ?? DefaultGroup).ToString());
        Add("port", running.MulticastPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default", (wanted.MulticastPort ?? DefaultPort).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("ttl", running.MulticastTtl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default", (wanted.MulticastTtl ?? DefaultTtl).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return changes;

        void Add(string field, string old, string @new)
        {
            if (old != @new && old != "default")
            {
                changes.Add(new Plans.FieldChange(field, old, @new));
            }
        }
    }
}
