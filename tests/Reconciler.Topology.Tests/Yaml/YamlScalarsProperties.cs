using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Yaml;

public sealed class YamlScalarsProperties
{
    [Property(MaxTest = 1000)]
    public void FormatString_ReadsBackAsTheSameString(NonNull<string> value)
    {
        var text = value.Get;
        if (text.Any(char.IsSurrogate))
        {
            return; // a lone surrogate is not text; YAML cannot hold it
        }

        Assert.Equal(text, ReadBack(YamlScalars.FormatString(text)));
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 1000)]
    public void FormatString_ReadsBackYamlLikeText(string text) => Assert.Equal(text, ReadBack(YamlScalars.FormatString(text)));

    private static string? ReadBack(string scalar)
    {
        var budget = TopologyLoaderOptions.Default.MaxNodes;
        var diagnostics = new List<Diagnostic>();
        var (root, _) = YamlJsonReader.Read("x.yaml", $"block: {scalar}\nflow: [{scalar}]\n", TopologyLoaderOptions.Default, diagnostics, ref budget);
        Assert.Empty(diagnostics);
        var block = (string?)root!["block"];
        Assert.Equal(block, (string?)((JArray)root["flow"]!)[0]);
        return block;
    }

    public static class Arbitraries
    {
        public static Arbitrary<string> Text() => Arb.From(Gen.OneOf(TopologyGenerators.Text(0, 20), TopologyGenerators.Name()));
    }
}
