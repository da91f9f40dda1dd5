using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Observed;

/// <summary>A route in one of the node's tables, as read: <see cref="IpRoute.Table"/>, <see cref="IpRoute.Metric"/>
/// and <see cref="IpRoute.Scope"/> filled in with what the kernel chose. <see cref="Ours"/> when reconciler added it
/// (its routing protocol number): the only routes a plan may remove.</summary>
public sealed record ObservedRoute(IpRoute Route, bool Ours);

/// <summary>A policy rule, as read (its <see cref="IpRule.Priority"/> filled in). The family is the rule's own (a
/// rule without selectors may be IPv6). <see cref="Ours"/> when reconciler added it.</summary>
public sealed record ObservedRule(AddressFamily Family, IpRule Rule, bool Ours);
