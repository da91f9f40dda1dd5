using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation;

/// <summary>A route or rule as the rules see it: where it is written and who holds it.</summary>
/// <param name="Pointer">The item's pointer (<c>/nodes/0/network/routes/1</c>, <c>/vrrpInstances/2/virtualRoutes/0</c>).</param>
/// <param name="Instance">The VRRP instance whose MASTER holds it, or null: a node's static item.</param>
internal sealed record NetworkItem<T>(T Item, string Pointer, VrrpInstance? Instance)
{
    /// <summary>The pointer of one of the item's fields.</summary>
    public string At(string property) => JsonPointer.Append(Pointer, property);
}

/// <summary>Routes and rules with their pointers: every one written, or those a node holds (its own, and those of
/// each instance it takes part in) in the order they are written.</summary>
internal static class NetworkItems
{
    public static IEnumerable<NetworkItem<IpRoute>> Routes(Model.Topology topology) =>
        All(topology, n => n.Network.Routes, "routes", v => v.VirtualRoutes, "virtualRoutes");

    public static IEnumerable<NetworkItem<IpRule>> Rules(Model.Topology topology) =>
        All(topology, n => n.Network.Rules, "rules", v => v.VirtualRules, "virtualRules");

    public static IEnumerable<NetworkItem<IpRoute>> RoutesOn(Model.Topology topology, int node) =>
        On(topology, node, n => n.Network.Routes, "routes", v => v.VirtualRoutes, "virtualRoutes");

    public static IEnumerable<NetworkItem<IpRule>> RulesOn(Model.Topology topology, int node) =>
        On(topology, node, n => n.Network.Rules, "rules", v => v.VirtualRules, "virtualRules");

    /// <summary>The pointer of a node's <c>network</c> list.</summary>
    public static string NodeList(int node, string list) => JsonPointer.Append(Pointers.Node(node, "network"), list);

    private static IEnumerable<NetworkItem<T>> All<T>(
        Model.Topology topology, Func<Node, ValueList<T>> ofNode, string nodeList, Func<VrrpInstance, ValueList<T>> ofInstance, string instanceList)
    {
        for (var n = 0; n < topology.Nodes.Count; n++)
        {
            foreach (var item in Static(topology.Nodes[n], n, ofNode, nodeList))
            {
                yield return item;
            }
        }

        for (var i = 0; i < topology.VrrpInstances.Count; i++)
        {
            foreach (var item in Virtual(topology.VrrpInstances[i], i, ofInstance, instanceList))
            {
                yield return item;
            }
        }
    }

    private static IEnumerable<NetworkItem<T>> On<T>(
        Model.Topology topology, int node, Func<Node, ValueList<T>> ofNode, string nodeList, Func<VrrpInstance, ValueList<T>> ofInstance, string instanceList)
    {
        var name = topology.Nodes[node].Name;
        var items = Static(topology.Nodes[node], node, ofNode, nodeList);
        for (var i = 0; i < topology.VrrpInstances.Count; i++)
        {
            if (topology.VrrpInstances[i].Priorities.ContainsKey(name))
            {
                items = items.Concat(Virtual(topology.VrrpInstances[i], i, ofInstance, instanceList));
            }
        }

        return items;
    }

    private static IEnumerable<NetworkItem<T>> Static<T>(Node node, int n, Func<Node, ValueList<T>> list, string name) =>
        list(node).Select((item, j) => new NetworkItem<T>(item, JsonPointer.Append(NodeList(n, name), j), null));

    private static IEnumerable<NetworkItem<T>> Virtual<T>(VrrpInstance instance, int i, Func<VrrpInstance, ValueList<T>> list, string name) =>
        list(instance).Select((item, j) => new NetworkItem<T>(item, JsonPointer.Append(Pointers.Instance(i, name), j), instance));
}
