using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Newtonsoft.Json.Linq;
using Reconciler.Testing.Fuzzing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>
/// The loader reads the common form of a topology file with its own small reader and leaves everything else to
/// YamlDotNet. Whatever it reads must come out exactly as YamlDotNet's events make it: the same tree, every value
/// and key at the same line and column, the same diagnostics and node count. Compared on the corpus, its text
/// mutations, generated topologies as the writer writes them, and cases at the edges of the form.
/// </summary>
public sealed class SimpleBlockReaderTests
{
    private static readonly FuzzCorpus Corpus = FuzzCorpus.Load("topology");

    [Theory]
    [InlineData("seed-topology.yaml")]
    [InlineData("large-topology.yaml")]
    [InlineData("imported-features.yaml")]
    public void Read_CorpusTopology_ReadSimplyAndSameAsYamlDotNet(string file)
    {
        var simply = AssertSameAsYamlDotNet(Encoding.UTF8.GetString(Corpus.Get(file).Bytes));

        Assert.True(simply, $"{file} was left to YamlDotNet");
    }

    [Fact]
    public void Read_TextMutatedCorpus_SameAsYamlDotNet()
    {
        var simply = 0;
        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(
            input => simply += AssertSameAsYamlDotNet(Encoding.UTF8.GetString(input)) ? 1 : 0,
            new FuzzSettings(3_000, 23) { SaveCrashes = false });

        Assert.Null(result.Failure);
        Assert.True(simply > 200, $"only {simply} of {result.Inputs} mutated inputs were read simply");
    }

    [Fact]
    public void Read_GeneratedTopologiesAsWritten_SameAsYamlDotNet()
    {
        var simply = 0;
        var runs = 0;
        Prop.ForAll(TopologyGenerators.Arbitrary(), topology =>
        {
            runs++;
            simply += AssertSameAsYamlDotNet(TopologyYamlWriter.Write(topology)) ? 1 : 0;
        }).QuickCheckThrowOnFailure();

        // The generator's names and texts are meant to be hard for YAML (quotes, escapes, non-ASCII): few are simple.
        Assert.True(simply > 0, $"none of {runs} generated topologies was read simply");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_ServicesAsOperatorsWriteThem_ReadSimplyAndSameAsYamlDotNet(bool flow)
    {
        var text = new StringBuilder("nodes:\n  - name: lb1\n    addresses: [10.0.0.1, 2001:db8::1]\nservices:\n");
        for (var i = 0; i < 50; i++)
        {
            if (flow)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {{name: s{i}, address: 10.1.0.{i}, port: 80, scheduler: wrr, forwarding: nat, realServers: [{{address: 10.2.0.{i}, port: 8080, weight: 3}}, {{address: 2001:db8::{i:x}, port: 8080}}]}}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"  - name: s{i}  # service {i}\n    address: 10.1.0.{i}\n    port: 80\n    healthCheck:\n      type: tcp\n      interval: 1.5s\n    realServers:\n    - address: 10.2.0.{i}\n      port: 8080\n    - address: 2001:db8::{i:x}\n      weight: 0\n");
            }
        }

        Assert.True(AssertSameAsYamlDotNet(text.ToString()));
    }

    public static TheoryData<string, bool> EdgeCases() => new()
    {
        { "a: 1\nb: [x, 'y', \"z\"]\n", true },
        { "---\na: 1\n", true },
        { "# comment\n\na: 1  # trailing\n  # indented comment\nb: 2\n", true },
        { "a:\n- 1\n- x: 2\n  y: [3]\nb: 4\n", true },
        { "a:\n  - 1\n  -   2\n", true },
        { "s:\n  - {name: s1, address: 10.0.0.1, realServers: [{address: 2001:db8::1, port: 80}, {address: 10.0.0.2}]}\n", true },
        { "a: 2001:db8::1\nb: fe80::1%eth0\nc: [::1, 2001:db8::]\n", false },
        { "a: ['::1', '2001:db8::', fe80::2]\n", true },
        { "a: [::1]\n", false },
        { "a: -1\nb: .5\nc: ~\nd: 1e3\ne: 0x1F\nf: yes\ng: True\nh: 1.5s\ni: a.b-c_d/e\n", true },
        { "a: some words here   \nb: x=1+2@y\n", true },
        { "a: b:c\nd: e :f\n", true },
        { "a: {}\nb: []\nc: [ ]\nd: { }\n", true },
        { "a:\n  b:\n    c: [1, [2, [3]], {d: {e: f}}]\n", true },
        { "a: 'it''s'\n", false },
        { "a: \"x\\ty\"\n", false },
        { "a: \"x\"#y\n", false },
        { "a: [x]#y\n", false },
        { "a: |\n  text\n", false },
        { "a: &x 1\nb: *x\n", false },
        { "a: !!str 1\n", false },
        { "a:\nb: 1\n", false },
        { "a: x\n  y\n", false },
        { "a: [x,\n  y]\n", false },
        { "a: [x, ]\n", false },
        { "a: b: c\n", false },
        { "- a\n- b\n", true },
        { "a: 1\n a2: 2\n", false },
        { "a:\n    b: 1\n  c: 2\n", false },
        { "a: 1\r\nb: 2\r\n", false },
        { "a:\t1\n", false },
        { "a: é\n", false },
        { "a: 1\n---\nb: 2\n", false },
        { "a: 1\n...\n", false },
        { "? a\n: 1\n", false },
        { "a: 1\na: 2\n", true },
        { "a: [1, 2\n", false },
        { "[1, 2]\n", false },
        { "a: 1", true },
        { "", false },
        { "a: - x\n", false },
        { "-\n  a: 1\n", true },
        { "- - a\n", false },
        { "a: x #c\n", true },
        { "a: x# c\n", false },
        { "'a': 1\n", false },
        { "a.b-c/d_e: 1\n1: x\ntrue: y\n", true },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Read_EdgeCase_SameAsYamlDotNetAndReadSimplyAsExpected(string text, bool expectedSimply)
    {
        var simply = AssertSameAsYamlDotNet(text);

        Assert.Equal(expectedSimply, simply);
    }

    /// <summary>Reads the text both ways and asserts the same outcome; returns whether the simple reader read it.</summary>
    private static bool AssertSameAsYamlDotNet(string text)
    {
        var expected = ReadAndDescribe(text, useSimpleReader: false, out _);
        var actual = ReadAndDescribe(text, useSimpleReader: true, out var simply);
        Assert.True(expected == actual, $"input:\n{Cut(text)}\nYamlDotNet:\n{Cut(expected)}\nsimple reader (read simply: {simply}):\n{Cut(actual)}");
        return simply;
    }

    private static string Cut(string text) => text.Length <= 3_000 ? text : text[..3_000] + "...";

    private static string ReadAndDescribe(string text, bool useSimpleReader, out bool simply)
    {
        var diagnostics = new List<Diagnostic>();
        var budget = TopologyLoaderOptions.Default.MaxNodes;
        var root = YamlJsonReader.Read("t.yaml", text, TopologyLoaderOptions.Default, diagnostics, ref budget, useSimpleReader, out simply);
        var description = new StringBuilder();
        description.Append(CultureInfo.InvariantCulture, $"nodes left {budget}\n");
        foreach (var diagnostic in diagnostics)
        {
            description.Append(diagnostic).Append('\n');
        }

        if (root is not null)
        {
            foreach (var token in root is JContainer container ? container.DescendantsAndSelf() : [root])
            {
                description.Append(CultureInfo.InvariantCulture,
                    $"{token.Type} {token.Path} {(token is JValue value ? $"{value.Value?.GetType().Name}:{Convert.ToString(value.Value, CultureInfo.InvariantCulture)}" : token is JProperty property ? property.Name : string.Empty)} at {token.Annotation<SourceLocation>()}\n");
            }
        }

        return description.ToString();
    }
}
