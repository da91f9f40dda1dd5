using System.Net;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>A value and the place in keepalived.conf it came from.</summary>
internal sealed record Located<T>(T Value, SourceLocation Location);

/// <summary>What one keepalived.conf says, before the nodes are merged into one topology.</summary>
internal sealed class NodeConfig(string file)
{
    public string File { get; } = file;

    public Located<string>? RouterId { get; set; }

    /// <summary>global_defs' mail settings (located at <c>smtp_server</c>), or null: this node mails nothing.</summary>
    public Located<MailAlerts>? Mail { get; set; }

    public List<Located<TrackedCheck>> Scripts { get; } = [];

    public List<InstanceConfig> Instances { get; } = [];

    /// <summary>The sync groups that have two or more members on this node (a group of one is folded into its
    /// instance, an empty one dropped).</summary>
    public List<SyncGroupConfig> SyncGroups { get; } = [];

    public List<Located<VirtualService>> Services { get; } = [];

    /// <summary>Addresses this node uses as its VRRP source (<c>unicast_src_ip</c>, <c>mcast_src_ip</c>).</summary>
    public List<Located<IPAddress>> SourceAddresses { get; } = [];

    public bool IsEmpty { get; set; }

    /// <summary><c>static_ipaddress</c>, <c>static_routes</c> and <c>static_rules</c>: the node's own network.</summary>
    public List<StaticAddress> StaticAddresses { get; } = [];

    public List<IpRoute> StaticRoutes { get; } = [];

    public List<IpRule> StaticRules { get; } = [];

    /// <summary>Interfaces the static addresses, routes and rules name.</summary>
    public List<string> NetworkInterfaces { get; } = [];
}

/// <summary>A <c>vrrp_instance</c> as one node has it: <see cref="Shared"/> holds what every node must agree on
/// (its interface, priorities and unicast peers are left empty); the rest is this node's own.</summary>
internal sealed class InstanceConfig(string name, SourceLocation location)
{
    public string Name { get; } = name;

    public SourceLocation Location { get; } = location;

    public VrrpInstance Shared { get; set; } = null!;

    public Located<string>? Interface { get; set; }

    public int Priority { get; set; }

    public Located<string>? State { get; set; }

    public bool UsesUnicast { get; set; }

    public IPAddress? UnicastSource { get; set; }

    public List<Located<IPAddress>> UnicastPeers { get; } = [];

    public List<string> Interfaces { get; } = [];

    public List<Located<TrackedCheckReference>> TrackScripts { get; } = [];

    public List<Located<TrackedInterface>> TrackInterfaces { get; } = [];
}

/// <summary>A <c>vrrp_sync_group</c> as one node has it: its members resolved against the node's instances, its
/// tracked scripts where they stand (another node may define one this file does not).</summary>
internal sealed record SyncGroupConfig(VrrpSyncGroup Group, SourceLocation Location, IReadOnlyList<Located<TrackedCheckReference>> TrackScripts);
