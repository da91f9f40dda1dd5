namespace Reconciler.Topology.Yaml;

internal sealed class YamlScalarNode(string text) : YamlTree
{
    public string Text { get; } = text;

    public override string? Flow() => Text;
}
