using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Yaml;

public sealed class RoundTripProperties
{
    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 100)]
    public void WriteThenLoad_GivesEqualTopology(Topology.Model.Topology topology)
    {
        var text = TopologyYamlWriter.Write(topology, "topology.schema.json");

        var result = TopologyLoader.LoadDocuments([new TopologyDocument("generated.yaml", text)]);

        Assert.True(result.IsValid, text + "\n" + string.Join("\n", result.Diagnostics));
        Assert.Equal(topology, result.Topology);
        Assert.Equal(text, TopologyYamlWriter.Write(result.Topology!, "topology.schema.json"));
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 30)]
    public void WriteSplitIntoFilesThenLoad_GivesEqualTopology(Topology.Model.Topology topology)
    {
        // One file per section, services split in two: the merge must give back the same lists.
        var half = topology.Services.Count / 2;
        var parts = new[]
        {
            Topology.Model.Topology.Empty with { Nodes = topology.Nodes, Mail = topology.Mail },
            Topology.Model.Topology.Empty with { Checks = topology.Checks, VrrpInstances = topology.VrrpInstances },
            Topology.Model.Topology.Empty with { SyncGroups = topology.SyncGroups },
            Topology.Model.Topology.Empty with { Services = topology.Services.Take(half).ToValueList() },
            Topology.Model.Topology.Empty with { Services = topology.Services.Skip(half).ToValueList() },
        };
        var documents = parts.Select((p, i) => new TopologyDocument($"{i}.yaml", TopologyYamlWriter.Write(p))).ToArray();

        var result = TopologyLoader.LoadDocuments(documents);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(topology, result.Topology);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 100)]
    public void MutatedFile_NeverThrows_AndIsValidOnlyWithoutErrors(Topology.Model.Topology topology, int seed)
    {
        var text = Mutate(TopologyYamlWriter.Write(topology), new Random(seed));

        var result = TopologyLoader.LoadDocuments([new TopologyDocument("mutated.yaml", text)]);

        Assert.Equal(result.Topology is not null, !result.Diagnostics.Any(d => d.IsError));
        Assert.All(result.Diagnostics.Where(d => d.IsError), d => Assert.NotNull(d.Location));
    }

    [Property(MaxTest = 200)]
    public void MutatedSeed_NeverThrows(int seed)
    {
        var text = Mutate(Samples.SeedYaml, new Random(seed));

        var result = TopologyLoader.LoadDocuments([new TopologyDocument("mutated.yaml", text)]);

        Assert.Equal(result.Topology is not null, !result.Diagnostics.Any(d => d.IsError));
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
    }

    private const string Interesting = " \t\n:-[]{}#&*!|>'\"%@`,?~0123456789abc\u00e9\u0000\u0007\uFEFF";

    /// <summary>One to five random edits: delete, duplicate or replace a character; delete, duplicate or swap a line.</summary>
    internal static string Mutate(string text, Random random)
    {
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var i = random.Next(text.Length);
            var lines = text.Split('\n').ToList();
            var l = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    text = text.Remove(i, 1);
                    break;
                case 1:
                    text = text.Insert(i, text[i].ToString());
                    break;
                case 2:
                    text = text.Remove(i, 1).Insert(i, Interesting[random.Next(Interesting.Length)].ToString());
                    break;
                case 3:
                    lines.RemoveAt(l);
                    text = string.Join('\n', lines);
                    break;
                case 4:
                    lines.Insert(l, lines[l]);
                    text = string.Join('\n', lines);
                    break;
                case 5:
                    var m = random.Next(lines.Count);
                    (lines[l], lines[m]) = (lines[m], lines[l]);
                    text = string.Join('\n', lines);
                    break;
                default:
                    text = text.Insert(i, Interesting[random.Next(Interesting.Length)].ToString());
                    break;
            }
        }

        return text;
    }

    public static class Arbitraries
    {
        public static Arbitrary<Topology.Model.Topology> Topology() => TopologyGenerators.Arbitrary();
    }
}
