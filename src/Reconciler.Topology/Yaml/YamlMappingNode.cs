using System.Text;

namespace Reconciler.Topology.Yaml;

internal sealed class YamlMappingNode : YamlTree
{
    public List<KeyValuePair<string, YamlTree>> Entries { get; } = [];

    /// <summary>Entities (a node, a service, a real server) are always written in block style.</summary>
    public bool Block { get; init; }

    public int Count => Entries.Count;

    public YamlMappingNode Add(string key, YamlTree value)
    {
        Entries.Add(new(key, value));
        return this;
    }

    public YamlMappingNode Add(string key, string formattedScalar) => Add(key, new YamlScalarNode(formattedScalar));

    public override string? Flow()
    {
        if (Block && Entries.Count > 0)
        {
            return null;
        }

        var parts = new List<string>(Entries.Count);
        foreach (var (key, value) in Entries)
        {
            var flow = value.Flow();
            if (flow is null)
            {
                return null;
            }

            parts.Add(YamlScalars.FormatString(key) + ": " + flow);
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Writes this mapping in block style, each line indented by <paramref name="indent"/> spaces.</summary>
    public void WriteBlock(StringBuilder output, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var (rawKey, value) in Entries)
        {
            var key = YamlScalars.FormatString(rawKey);
            var flow = value.Flow();
            if (flow is not null && (value is YamlScalarNode || indent + key.Length + 2 + flow.Length <= Width))
            {
                output.Append(pad).Append(key).Append(": ").Append(flow).Append('\n');
                continue;
            }

            output.Append(pad).Append(key).Append(":\n");
            switch (value)
            {
                case YamlMappingNode mapping:
                    mapping.WriteBlock(output, indent + 2);
                    break;
                case YamlSequenceNode sequence:
                    sequence.WriteBlock(output, indent + 2);
                    break;
            }
        }
    }
}
