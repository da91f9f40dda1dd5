using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>Bad input gets one clear, located error, cheaply (limits are checked before the work they guard).</summary>
public sealed class HostileInputTests
{
    private static void AssertOnly(string yaml, string expected)
    {
        var result = LoaderHelpers.Load(yaml);
        Assert.Null(result.Topology);
        Assert.False(result.IsValid);
        Assert.Equal([expected], result.Lines());
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing here\n\n")]
    [InlineData("~\n")]
    public void Load_EmptyFile_ReportsEmpty(string yaml) =>
        AssertOnly(yaml, "topology.yaml:1:1: error: the file is empty: expected a mapping with nodes, checks, vrrpInstances, vrrpSyncGroups and/or services");

    [Fact]
    public void Load_BinaryGarbage_ReportsNotText() =>
        AssertOnly("nodes:\n  - name: a\u0000\u0001\u0002", "topology.yaml:2:12: error: the file is binary, not YAML text (it contains a NUL character)");

    [Fact]
    public void Load_RandomBytes_NeverThrows()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(1, 200)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(1, 0xD7FF);
            }

            var result = LoaderHelpers.Load(new string(chars));
            Assert.Null(result.Topology);
            Assert.All(result.Diagnostics, d => Assert.NotNull(d.Location));
        }
    }

    [Fact]
    public void Load_UnclosedFlowList_ReportsSyntaxErrorWhereFound() =>
        AssertOnly("nodes:\n  - name: lb1\n    addresses: [192.168.1.1\n",
            "topology.yaml:4:1: error: not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'.");

    [Fact]
    public void Load_TabIndentation_ReportsSyntaxError() =>
        AssertOnly("nodes:\n\t- name: lb1\n", "topology.yaml:1:1: error: not valid YAML: While scanning a mapping, found invalid tab as indentation.");

    [Fact]
    public void Load_BillionLaughs_StopsAtTheAliasLimit()
    {
        var yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
        for (var i = 0; i < 8; i++)
        {
            var previous = (char)('a' + i);
            var name = (char)('b' + i);
            yaml += $"{name}: &{name} [" + string.Join(",", Enumerable.Repeat("*" + previous, 9)) + "]\n";
        }

        // 9^9 "lol"s if expanded: the reader stops after 100 000 nodes.
        AssertOnly(yaml, "topology.yaml:6:8: error: aliases expand to more than 100000 nodes; is this a 'billion laughs' document?");
    }

    [Fact]
    public void Load_DeepFlowNesting_StopsAtTheDepthLimit() =>
        AssertOnly(new string('[', 100_000) + new string(']', 100_000), "topology.yaml:1:65: error: nesting is deeper than 64 levels");

    [Fact]
    public void Load_DeepBlockNesting_StopsAtTheDepthLimit() =>
        AssertOnly(string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "k:\n")), "topology.yaml:65:129: error: nesting is deeper than 64 levels");

    [Fact]
    public void Load_AliasChainDeeperThanLimit_StopsAtTheDepthLimit()
    {
        // Each anchor nests the previous one: shallow as text, deep once expanded.
        var yaml = "a0: &a0 [x]\n" + string.Concat(Enumerable.Range(1, 100).Select(i => $"a{i}: &a{i} [*a{i - 1}]\n"));

        var result = LoaderHelpers.Load(yaml);

        var error = result.Single("too-deep");
        Assert.Equal("nesting is deeper than 64 levels once aliases are expanded", error.Message);
    }

    [Fact]
    public void LoadDocuments_HugeDocument_ReportsTooLargeBeforeParsing()
    {
        var text = "nodes:\n" + new string('#', 50 * 1024 * 1024);

        var result = LoaderHelpers.Load(text);

        Assert.Equal(["topology.yaml:1:1: error: the file is 52428807 characters; the limit is 16777216"], result.Lines());
    }

    [Fact]
    public void LoadPaths_FiftyMegabyteFile_ReportsTooLargeWithoutReadingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reconciler-big-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var stream = File.Create(path))
            {
                stream.SetLength(50L * 1024 * 1024);
            }

            var result = TopologyLoader.LoadPaths([path]);

            Assert.Equal([$"{path}:1:1: error: the file is 52428800 bytes; the limit is 16777216"], result.Lines());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_TooManyNodes_ReportsTooLarge()
    {
        var options = TopologyLoaderOptions.Default with { MaxNodes = 1000 };
        var yaml = "nodes:\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"  - name: n{i}\n"));

        var result = TopologyLoader.LoadDocuments([new TopologyDocument("topology.yaml", yaml)], options);

        Assert.Equal(["topology.yaml:334:5: error: the topology has more than 1000 YAML nodes"], result.Lines());
    }

    [Fact]
    public void Load_DuplicateKey_ReportsTheSecond() =>
        Assert.Contains("topology.yaml:3:5: error: nodes[0].name: duplicate key 'name'", LoaderHelpers.Load("nodes:\n  - name: lb1\n    name: lb2\n").Lines());

    [Fact]
    public void Load_TwoDocumentsInOneFile_ReportsTheSecond() =>
        AssertOnly("nodes: []\n---\nchecks: []\n", "topology.yaml:2:1: error: a file holds one YAML document; split the others into their own files");

    [Fact]
    public void Load_UnknownAlias_Reports() =>
        AssertOnly("nodes:\n  - *missing\n", "topology.yaml:2:5: error: unknown alias '*missing'");

    [Fact]
    public void Load_ComplexKey_Reports() =>
        AssertOnly("? [a, b]\n: c\n", "topology.yaml:1:3: error: mapping keys must be plain text, not lists or mappings");

    [Fact]
    public void Load_CustomTag_Reports() =>
        AssertOnly("nodes:\n  - name: !secret lb1\n", "topology.yaml:2:11: error: unsupported YAML tag '!secret' (only !!str is allowed)");

    [Fact]
    public void Load_StrTag_MakesText()
    {
        var result = LoaderHelpers.Load("nodes:\n  - name: !!str 123\n");

        Assert.True(result.IsValid);
        Assert.Equal("123", result.Topology!.Nodes[0].Name);
    }

    [Fact]
    public void Load_Aliases_ExpandWithLocationsAtTheAlias()
    {
        var result = LoaderHelpers.Load("nodes:\n  - &n {name: lb1, interfaces: &i [eth0]}\n  - name: lb2\n    interfaces: *i\n  - *n\n");

        Assert.Equal(["topology.yaml:5:5: error: nodes[2].name: duplicate node name 'lb1' (first at topology.yaml:2:15)"], result.Lines());
    }
}
