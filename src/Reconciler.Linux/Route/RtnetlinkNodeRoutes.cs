using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// The planner's <see cref="INodeRoutes"/> (and the VRRP host's) over rtnetlink: routes and rules read fresh,
/// added with reconciler's protocol number, removed only when they carry it. Interface names are resolved on each
/// call, so a re-created link is picked up.
/// </summary>
public sealed class RtnetlinkNodeRoutes(RtnetlinkClient client) : INodeRoutes
{
    private readonly RtnetlinkClient _client = client ?? throw new ArgumentNullException(nameof(client));

    public IReadOnlyList<ObservedRoute> GetRoutes()
    {
        var names = _client.GetLinks().ToDictionary(l => l.Index, l => l.Name);
        var routes = new List<ObservedRoute>();
        foreach (var route in _client.GetRoutes())
        {
            if (RouteConversions.FromKernel(route, names.GetValueOrDefault(route.OutputInterface)) is { } observed)
            {
                routes.Add(observed);
            }
        }

        return routes;
    }

    public IReadOnlyList<ObservedRule> GetRules()
    {
        var rules = new List<ObservedRule>();
        foreach (var rule in _client.GetRules())
        {
            if (RouteConversions.FromKernel(rule) is { } observed)
            {
                rules.Add(observed);
            }
        }

        return rules;
    }

    public void Add(IpRoute route, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(route);
        _client.AddRoute(RouteConversions.ToKernel(route, IndexOf(route.Interface)), replace);
    }

    public void Remove(IpRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var index = 0;
        if (route.Interface is not null)
        {
            // Gone with its link: the kernel removed the route with it.
            if (_client.GetLink(route.Interface) is not { } link)
            {
                return;
            }

            index = link.Index;
        }

        _client.DeleteRoute(RouteConversions.ToKernelDelete(route, index));
    }

    public void Add(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _client.AddRule(RouteConversions.ToKernel(rule, rule.Family));
    }

    public void Remove(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _client.DeleteRule(RouteConversions.ToKernel(rule, rule.Family));
    }

    private int IndexOf(string? interfaceName) => interfaceName is null ? 0 : _client.GetInterfaceIndex(interfaceName);
}
