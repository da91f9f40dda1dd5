namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// No node holds the same policy rule twice (every field alike but <c>track</c>): the kernel refuses to add a rule
/// that exists. Counted as <see cref="DuplicateRouteRule"/> counts routes: a node's own and its instances' together.
/// </summary>
public sealed class DuplicateRoutingRuleRule : ITopologyRule
{
    public string Code => "duplicate-routing-rule";

    public void Check(ValidationContext context)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < context.Topology.Nodes.Count; n++)
        {
            var node = context.Topology.Nodes[n].Name;
            var first = new Dictionary<Model.IpRule, NetworkItem<Model.IpRule>>();
            foreach (var item in NetworkItems.RulesOn(context.Topology, n))
            {
                var key = item.Item with { Track = true };
                if (!first.TryGetValue(key, out var earlier))
                {
                    first[key] = item;
                }
                else if (reported.Add(item.Pointer))
                {
                    var by = earlier.Instance is null ? "among its static rules" : $"by instance {earlier.Instance.Name}";
                    context.Error(Code, item.Pointer, $"node {node} already has rule {Model.NetworkText.Rule(item.Item)} {by}{context.FirstAt(earlier.Pointer)}; the kernel refuses a rule that exists");
                }
            }
        }
    }
}
