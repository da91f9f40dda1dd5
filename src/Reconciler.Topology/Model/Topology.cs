namespace Reconciler.Topology.Model;

/// <summary>
/// The cluster-wide description every node reads. Each node picks out its own part by name.
/// Equality is structural: two topologies are equal when they ask the kernel for the same things.
/// </summary>
public sealed record Topology(
    ValueList<Node> Nodes,
    ValueList<TrackedCheck> Checks,
    ValueList<VrrpInstance> VrrpInstances,
    ValueList<VirtualService> Services)
{
    public static Topology Empty { get; } = new([], [], [], []);

    public Node? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public VrrpInstance? FindVrrpInstance(string name) => VrrpInstances.FirstOrDefault(v => v.Name == name);

    public TrackedCheck? FindCheck(string name) => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>VRRP instances that fail over together (keepalived's <c>vrrp_sync_group</c>); the YAML's
    /// <c>vrrpSyncGroups</c>.</summary>
    public ValueList<VrrpSyncGroup> SyncGroups { get; init; } = [];

    /// <summary>E-mail alerts (keepalived's <c>notification_email</c> and <c>smtp_*</c>), or null: none are sent.</summary>
    public MailAlerts? Mail { get; init; }

    public VrrpSyncGroup? FindSyncGroup(string name) => SyncGroups.FirstOrDefault(g => g.Name == name);

    /// <summary>The sync group <paramref name="instance"/> belongs to, or null.</summary>
    public VrrpSyncGroup? SyncGroupOf(string instance) => SyncGroups.FirstOrDefault(g => g.Instances.Contains(instance));
}
