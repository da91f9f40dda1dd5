using System.Net;
using System.Text;
using Reconciler.Keepalived.Import;
using Reconciler.Keepalived.Parsing;
using Reconciler.Testing.Fuzzing;
using Reconciler.Topology.Validation;
using Reconciler.Topology.Yaml;

namespace Reconciler.Keepalived.Tests.Fuzzing;

/// <summary>
/// The keepalived.conf importer under bounded fuzzing (corpus: tests/corpus/keepalived). Its contract: it never
/// throws; every problem is a diagnostic with a location; a topology comes back exactly when no diagnostic is an
/// error, and what comes back goes through the rest of <c>reconciler import</c> (validation, YAML) without throwing.
/// </summary>
public sealed class KeepalivedImporterFuzzTests
{
    private const string Target = "keepalived";

    /// <summary>The mutations a run tries (FUZZ_INPUTS overrides): about 3 s on a two-core build machine.</summary>
    private const long Mutations = 1_000;
    private const string ConfigDirectory = "/etc/keepalived/";
    private const string FuzzFile = ConfigDirectory + "fuzz.conf";

    public static TheoryData<string> CorpusFiles() => FuzzCorpus.Names(Target);

    [Fact]
    public void Import_MutatedConfigurations_KeepsTheContract() => MutationFuzzer.Check(Target, FuzzInputKind.Text, CheckContract, Mutations);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Import_CorpusFile_KeepsTheContract(string file) => CheckContract(FuzzCorpus.Load(Target).Get(file).Bytes);

    /// <summary>
    /// The input is fuzz.conf in a directory that also holds the seeds (so its includes find files, itself among them),
    /// imported alone and as one node of a pair whose other node is a seed.
    /// </summary>
    internal static void CheckContract(byte[] input)
    {
        // What IConfigFileSystem does with bytes that are not UTF-8.
        var text = Encoding.UTF8.GetString(input);
        var seeds = FuzzCorpus.Load(Target).Seeds;
        var files = new InMemoryFileSystem().Add(FuzzFile, text);
        foreach (var seed in seeds)
        {
            files.Add(ConfigDirectory + seed.Name, Encoding.UTF8.GetString(seed.Bytes));
        }

        AssertContract(KeepalivedImporter.Import([new KeepalivedSource(null, FuzzFile)], files), 1, text);

        var partner = ConfigDirectory + seeds[input.Length % seeds.Count].Name;
        var pair = KeepalivedImporter.Import(
            [
                new KeepalivedSource("lb1", FuzzFile, [IPAddress.Parse("192.0.2.2")]),
                new KeepalivedSource("lb2", partner, [IPAddress.Parse("192.0.2.3")]),
            ],
            files);
        AssertContract(pair, 2, text);
    }

    private static void AssertContract(KeepalivedImportResult result, int sources, string text)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            var location = diagnostic.Location;
            Assert.True(location is not null, $"diagnostic without a location: {diagnostic}");
            Assert.True(location.Line >= 1 && location.Column >= 1, $"diagnostic located outside its file: {diagnostic}");
            Assert.True(location.File != FuzzFile || location.Line <= text.Count(c => c == '\n') + 1, $"diagnostic located past the end of the file: {diagnostic}");
        }

        Assert.True(result.HasErrors == (result.Topology is null), result.HasErrors ? "a topology despite errors" : "no topology, but no error says why");
        Assert.Equal(sources, result.Nodes.Count);
        if (result.Topology is { } topology && !TopologyValidator.Validate(topology).Any(d => d.IsError))
        {
            Assert.NotEmpty(TopologyYamlWriter.Write(topology));
        }
    }
}
