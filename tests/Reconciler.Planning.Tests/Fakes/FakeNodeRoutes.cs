using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Tests.Fakes;

/// <summary>An in-memory routing table and rule list, keyed as the kernel keys them: a unit-test seam; rtnetlink
/// is proven in the lab. What it adds is marked ours; a remove matches only what is ours, as our protocol number does.</summary>
internal sealed class FakeNodeRoutes : INodeRoutes
{
    public List<ObservedRoute> Routes { get; } = [];

    public List<ObservedRule> Rules { get; } = [];

    public List<string> Calls { get; } = [];

    /// <summary>How many times the routes and the rules were read.</summary>
    public int Reads { get; private set; }

    public IReadOnlyList<ObservedRoute> GetRoutes()
    {
        Reads++;
        return Routes.ToList();
    }

    public IReadOnlyList<ObservedRule> GetRules()
    {
        Reads++;
        return Rules.ToList();
    }

    public void Add(IpRoute route, bool replace = false)
    {
        Calls.Add($"{(replace ? "replace" : "add")} route {route.Destination}");
        var existing = Routes.FindIndex(r => RouteMatching.SameKey(route, r.Route));
        var read = new ObservedRoute(route with { Table = route.TableOrMain, Metric = RouteMatching.MetricOf(route) }, Ours: true);
        if (existing < 0)
        {
            Routes.Add(read);
        }
        else if (replace)
        {
            Routes[existing] = read;
        }
    }

    public void Remove(IpRoute route)
    {
        Calls.Add($"remove route {route.Destination}");
        Routes.RemoveAll(r => r.Ours && RouteMatching.SameKey(route, r.Route));
    }

    public void Add(IpRule rule)
    {
        Calls.Add($"add rule {rule.Priority}");
        if (RouteMatching.Find(Rules, rule) is null)
        {
            Rules.Add(new ObservedRule(rule.Family, rule with { Priority = rule.Priority ?? 32000 }, Ours: true));
        }
    }

    public void Remove(IpRule rule)
    {
        Calls.Add($"remove rule {rule.Priority}");
        Rules.RemoveAll(r => r.Ours && RouteMatching.Satisfies(rule, r));
    }
}
