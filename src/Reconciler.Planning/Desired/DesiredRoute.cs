using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>A route this node holds. For a static route (<see cref="DesiredState.Routes"/>) <see cref="Instance"/> is
/// null and it is always present. For a VRRP instance's route (<see cref="DesiredState.VrrpRoutes"/>, shown only):
/// <see cref="Present"/> when this node is MASTER, <see cref="Held"/> while the role is not known yet.</summary>
public sealed record DesiredRoute(IpRoute Route, string? Instance, bool Present, bool Held = false);

/// <summary>A policy rule this node holds; as <see cref="DesiredRoute"/>.</summary>
public sealed record DesiredRule(IpRule Rule, string? Instance, bool Present, bool Held = false);
