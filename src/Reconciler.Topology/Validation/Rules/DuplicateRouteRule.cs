using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// No node holds two routes the kernel takes for one: the same table, destination and metric (the kernel's key, the
/// type of service being always 0 here; an unset metric is the kernel's, 0 for IPv4 and 1024 for IPv6), whether both
/// are the node's own, both an instance's, or one of each. Two instances on a node may be MASTER at once, so theirs
/// count too. Reported once, at the later one.
/// </summary>
public sealed class DuplicateRouteRule : ITopologyRule
{
    private const uint Ipv6DefaultMetric = 1024;

    public string Code => "duplicate-route";

    public void Check(ValidationContext context)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < context.Topology.Nodes.Count; n++)
        {
            var node = context.Topology.Nodes[n].Name;
            var first = new Dictionary<(InterfaceAddress, uint, uint), NetworkItem<IpRoute>>();
            foreach (var item in NetworkItems.RoutesOn(context.Topology, n))
            {
                var route = item.Item;
                var key = (route.Destination, route.TableOrMain, route.Metric ?? (route.Destination.Family == AddressFamily.InterNetworkV6 ? Ipv6DefaultMetric : 0));
                if (!first.TryGetValue(key, out var earlier))
                {
                    first[key] = item;
                }
                else if (reported.Add(item.Pointer))
                {
                    var by = earlier.Instance is null ? "among its static routes" : $"by instance {earlier.Instance.Name}";
                    context.Error(Code, item.At("to"), $"node {node} already has route {NetworkText.RouteKey(route)} {by}{context.FirstAt(earlier.Pointer)}; the kernel keeps one route per table, destination and metric");
                }
            }
        }
    }
}
