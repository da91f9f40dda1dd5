using System.Text;

namespace Reconciler.Topology.Yaml;

internal sealed class YamlSequenceNode : YamlTree
{
    public List<YamlTree> Items { get; } = [];

    public bool Block { get; init; }

    public override string? Flow()
    {
        if (Block && Items.Count > 0)
        {
            return null;
        }

        var parts = new List<string>(Items.Count);
        foreach (var item in Items)
        {
            var flow = item.Flow();
            if (flow is null)
            {
                return null;
            }

            parts.Add(flow);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Writes this sequence in block style, each line indented by <paramref name="indent"/> spaces.</summary>
    public void WriteBlock(StringBuilder output, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var item in Items)
        {
            var flow = item.Flow();
            if (flow is not null && (item is YamlScalarNode || indent + 2 + flow.Length <= YamlTree.Width))
            {
                output.Append(pad).Append("- ").Append(flow).Append('\n');
                continue;
            }

            // Write the item as if indented two more, then put the dash where the first line's indent was.
            var nested = new StringBuilder();
            switch (item)
            {
                case YamlMappingNode mapping:
                    mapping.WriteBlock(nested, indent + 2);
                    break;
                case YamlSequenceNode inner:
                    inner.WriteBlock(nested, indent + 2);
                    break;
            }

            output.Append(pad).Append("- ").Append(nested, indent + 2, nested.Length - indent - 2);
        }
    }
}
