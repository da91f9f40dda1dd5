using System.Net;

namespace Reconciler.Topology.Model;

/// <summary>
/// A route in one of the kernel's routing tables, as <c>ip route</c> writes it (keepalived's <c>virtual_routes</c> and
/// <c>static_routes</c> entries). A VRRP instance's routes (<see cref="VrrpInstance.VirtualRoutes"/>) are present while
/// the node is MASTER of it; a node's static routes (<see cref="NodeNetwork.Routes"/>) always.
/// Null fields are left to the kernel (<c>ip route</c>'s defaults).
/// </summary>
/// <param name="Destination">The prefix routed (<c>0.0.0.0/0</c> for <c>default</c>).</param>
/// <param name="Type">unicast (a gateway and/or an interface), or one of the types that need neither.</param>
/// <param name="Via">The gateway (<c>via</c>), or null: on-link through <paramref name="Interface"/>.</param>
/// <param name="Interface">The output interface (<c>dev</c>), or null: the kernel finds it from the gateway.</param>
/// <param name="Source">The preferred source address (<c>src</c>) of packets the node sends on this route.</param>
/// <param name="Table">The routing table, 1..4294967295 (null: main, 254).</param>
/// <param name="Metric">The route's priority (<c>metric</c>, <c>preference</c>); lower wins.</param>
/// <param name="Scope">The route's scope (null: the kernel's choice: link without a gateway, else universe).</param>
/// <param name="OnLink">Pretend the gateway is on-link even if no prefix of the interface covers it.</param>
/// <param name="Track">For a VRRP instance's route, keepalived's tracking (on unless <c>no_track</c>), kept as written.
/// keepalived leaves MASTER when a tracked route is deleted and leaves an untracked one missing until its next MASTER;
/// the agent does neither: like a deleted virtual address, a MASTER's missing route is drift, put back at the next drift
/// check whatever this says.</param>
public sealed record IpRoute(
    InterfaceAddress Destination,
    RouteType Type,
    IPAddress? Via,
    string? Interface,
    IPAddress? Source,
    uint? Table,
    uint? Metric,
    RouteScope? Scope,
    bool OnLink,
    bool Track = true)
{
    /// <summary>The main table (<c>RT_TABLE_MAIN</c>).</summary>
    public const uint MainTable = 254;

    public uint TableOrMain => Table ?? MainTable;
}

/// <summary>A route's type (<c>rtm_type</c>): unicast forwards, the others answer or drop.</summary>
public enum RouteType
{
    Unicast,
    Blackhole,
    Unreachable,
    Prohibit,
    Throw,
}

/// <summary>A route's scope (<c>rtm_scope</c>).</summary>
public enum RouteScope
{
    Universe,
    Site,
    Link,
    Host,
}

/// <summary>
/// A policy routing rule, as <c>ip rule</c> writes it (keepalived's <c>virtual_rules</c> and <c>static_rules</c>):
/// packets matching every given selector go to <see cref="Table"/> (or get <see cref="Action"/>).
/// </summary>
/// <param name="From">Source prefix selector, or null: any.</param>
/// <param name="To">Destination prefix selector, or null: any.</param>
/// <param name="Priority">The rule's preference (<c>priority</c>, <c>pref</c>); null: the kernel picks one below the
/// last rule's. Rules are matched in ascending preference.</param>
/// <param name="Action">What a match does: look up <see cref="Table"/>, go to rule <see cref="GotoPriority"/>, or refuse.</param>
/// <param name="Table">The table looked up for <see cref="RuleAction.Table"/>.</param>
/// <param name="GotoPriority">The preference jumped to for <see cref="RuleAction.Goto"/>.</param>
/// <param name="FirewallMark">The packet's fwmark selector, or null: any.</param>
/// <param name="FirewallMask">The mask applied before comparing <paramref name="FirewallMark"/> (null: all bits).</param>
/// <param name="InputInterface">The interface the packet came in on (<c>iif</c>), or null: any.</param>
/// <param name="OutputInterface">The interface a socket is bound to (<c>oif</c>), or null: any.</param>
/// <param name="Track">For a VRRP instance's rule, keepalived's tracking, kept as written; as for a route, the agent
/// puts a MASTER's missing rule back at the next drift check whatever this says.</param>
public sealed record IpRule(
    InterfaceAddress? From,
    InterfaceAddress? To,
    uint? Priority,
    RuleAction Action,
    uint? Table,
    uint? GotoPriority,
    uint? FirewallMark,
    uint? FirewallMask,
    string? InputInterface,
    string? OutputInterface,
    bool Track = true)
{
    /// <summary>The address family of the rule: its selectors', or IPv4 when it has none.</summary>
    public System.Net.Sockets.AddressFamily Family =>
        From?.Family ?? To?.Family ?? System.Net.Sockets.AddressFamily.InterNetwork;
}

/// <summary>A rule's action (<c>fib_rule_hdr.action</c>).</summary>
public enum RuleAction
{
    Table,
    Goto,
    Nop,
    Blackhole,
    Unreachable,
    Prohibit,
}

/// <summary>An address the node always holds on one of its interfaces (keepalived's <c>static_ipaddress</c>).</summary>
/// <param name="Label">The address label (<c>eth0:1</c>), or null.</param>
public sealed record StaticAddress(string Interface, InterfaceAddress Address, string? Label = null);

/// <summary>
/// What a node keeps in its network configuration whatever its VRRP roles (keepalived's <c>static_ipaddress</c>,
/// <c>static_routes</c> and <c>static_rules</c>): the plan adds what is missing and removes what it added once the
/// topology no longer lists it; it never touches routes, rules or addresses it did not add.
/// </summary>
public sealed record NodeNetwork(ValueList<StaticAddress> Addresses, ValueList<IpRoute> Routes, ValueList<IpRule> Rules)
{
    public static NodeNetwork Empty { get; } = new([], [], []);

    public bool IsEmpty => Addresses.Count == 0 && Routes.Count == 0 && Rules.Count == 0;
}
