using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Execution;

/// <summary>
/// The node's routes and policy rules (rtnetlink on Linux). What it adds carries reconciler's routing protocol
/// number; what it removes must carry it too, so a route or rule someone else added is never removed. Adding what is
/// there, or removing what is not, is not an error.
/// </summary>
public interface INodeRoutes
{
    /// <summary>The routes of every table but the local one.</summary>
    IReadOnlyList<ObservedRoute> GetRoutes();

    IReadOnlyList<ObservedRule> GetRules();

    /// <summary>Adds a route; with <paramref name="replace"/>, replaces the one with its key in place.</summary>
    void Add(IpRoute route, bool replace = false);

    void Remove(IpRoute route);

    void Add(IpRule rule);

    void Remove(IpRule rule);
}

/// <summary>For nodes and commands that manage no routes: sees none, adds none.</summary>
public sealed class NoNodeRoutes : INodeRoutes
{
    public static NoNodeRoutes Instance { get; } = new();

    private NoNodeRoutes()
    {
    }

    public IReadOnlyList<ObservedRoute> GetRoutes() => [];

    public IReadOnlyList<ObservedRule> GetRules() => [];

    public void Add(IpRoute route, bool replace = false) => throw new InvalidOperationException($"no route manager: cannot add route {route.Destination}");

    public void Remove(IpRoute route) => throw new InvalidOperationException($"no route manager: cannot remove route {route.Destination}");

    public void Add(IpRule rule) => throw new InvalidOperationException("no route manager: cannot add a rule");

    public void Remove(IpRule rule) => throw new InvalidOperationException("no route manager: cannot remove a rule");
}
