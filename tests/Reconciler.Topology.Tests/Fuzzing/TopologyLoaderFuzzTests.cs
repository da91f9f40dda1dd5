using System.Text;
using System.Text.Unicode;
using Reconciler.Testing.Fuzzing;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Fuzzing;

/// <summary>
/// The YAML topology loader under bounded fuzzing (corpus: tests/corpus/topology). Its contract: it never throws;
/// every problem is a diagnostic located in the file it is about, on a line the file has; and a topology comes back
/// exactly when no diagnostic is an error.
/// </summary>
public sealed class TopologyLoaderFuzzTests
{
    private const string Target = "topology";

    /// <summary>The mutations a run tries (FUZZ_INPUTS overrides): about 3 s on a two-core build machine.</summary>
    private const long Mutations = 1_200;

    public static TheoryData<string> CorpusFiles() => FuzzCorpus.Names(Target);

    [Fact]
    public void Load_MutatedTopologies_KeepsTheContract() => MutationFuzzer.Check(Target, FuzzInputKind.Text, CheckContract, Mutations);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Load_CorpusFile_KeepsTheContract(string file) => CheckContract(FuzzCorpus.Load(Target).Get(file).Bytes);

    /// <summary>Loads the input as one file, some inputs also as two files split at a top-level key, and, when it is not UTF-8, from disk.</summary>
    internal static void CheckContract(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var whole = new TopologyDocument("fuzz.yaml", text);
        AssertContract(TopologyLoader.LoadDocuments([whole]), [whole]);

        // Every fourth input (by length, so a replay does the same) also as two files: merging is the slower path.
        if (input.Length % 4 == 0 && SplitAtTopLevelKey(text) is { } split)
        {
            TopologyDocument[] parts = [new("a.yaml", split.First), new("b.yaml", split.Second)];
            AssertContract(TopologyLoader.LoadDocuments(parts), parts);
        }

        if (!Utf8.IsValid(input) || input.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            var path = Path.Combine(Path.GetTempPath(), $"reconciler-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.yaml");
            File.WriteAllBytes(path, input);
            try
            {
                AssertContract(TopologyLoader.LoadPaths([path]), [new TopologyDocument(path, text)]);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    private static void AssertContract(TopologyLoadResult result, IReadOnlyList<TopologyDocument> documents)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            var location = diagnostic.Location;
            Assert.True(location is not null, $"diagnostic without a location: {diagnostic}");
            var document = documents.FirstOrDefault(d => d.Name == location.File);
            Assert.True(document is not null, $"diagnostic located in a file that was not loaded: {diagnostic}");
            Assert.True(location.Line >= 1 && location.Line <= LineCount(document.Text) && location.Column >= 1, $"diagnostic located outside its file: {diagnostic}");
        }

        var hasErrors = result.Diagnostics.Any(d => d.IsError);
        Assert.True(hasErrors == (result.Topology is null), hasErrors ? "a topology despite errors" : "no topology, but no error says why");
    }

    /// <summary>Lines as YAML counts them (LF, CRLF, CR, NEL, LS, PS each end one); a position just past the end is on the last.</summary>
    private static int LineCount(string text)
    {
        var lines = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\u0085' or '\u2028' or '\u2029' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }

        return lines;
    }

    /// <summary>The text cut before its middle top-level key (a line starting with a letter), so each half is a topology file.</summary>
    private static (string First, string Second)? SplitAtTopLevelKey(string text)
    {
        var starts = new List<int>();
        for (var i = text.IndexOf('\n', StringComparison.Ordinal); i >= 0 && i + 1 < text.Length; i = text.IndexOf('\n', i + 1))
        {
            if (char.IsAsciiLetter(text[i + 1]))
            {
                starts.Add(i + 1);
            }
        }

        if (starts.Count == 0)
        {
            return null;
        }

        var at = starts[starts.Count / 2];
        return (text[..at], text[at..]);
    }
}
