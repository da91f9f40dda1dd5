using System.Text;
using Reconciler.Testing.Fuzzing;

namespace Reconciler.Topology.Tests.Fuzzing;

/// <summary>The in-test fuzzer itself (tests/Shared/Fuzzing), on the topology corpus with contracts planted here.</summary>
public sealed class MutationFuzzerTests
{
    private static readonly FuzzCorpus Corpus = FuzzCorpus.Load("topology");

    [Fact]
    public void Run_PlantedBug_IsFoundShrunkAndReported()
    {
        var fuzzer = new MutationFuzzer(Corpus, FuzzInputKind.Text);
        static void Contract(byte[] input)
        {
            if (Encoding.UTF8.GetString(input).Contains("4294967296", StringComparison.Ordinal))
            {
                throw new OverflowException("planted");
            }
        }

        var result = fuzzer.Run(Contract, new FuzzSettings(1_000_000, 7) { SaveCrashes = false });

        var failure = Assert.IsType<FuzzFailure>(result.Failure);
        Assert.IsType<OverflowException>(failure.Exception);
        Assert.Equal("4294967296", Encoding.UTF8.GetString(failure.Shrunk));
        Assert.Throws<OverflowException>(() => Contract(failure.Input));
        var message = failure.Describe(TimeSpan.FromSeconds(60));
        Assert.Contains("FUZZ_SEED=7", message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(failure.Shrunk), message, StringComparison.Ordinal);
        Assert.Null(failure.SavedTo);
    }

    [Fact]
    public void Run_NoMutations_RunsEveryCorpusFileOnceInOrder()
    {
        var seen = new List<byte[]>();
        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(seen.Add, new FuzzSettings(0, 1));

        Assert.Null(result.Failure);
        Assert.False(result.Incomplete);
        Assert.Equal(Corpus.Files.Count, result.Inputs);
        Assert.Equal(Corpus.Files.Select(f => f.Bytes), seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_SameSeed_ExactlyTheSameInputs(bool text)
    {
        const int Mutations = 500;
        var kind = text ? FuzzInputKind.Text : FuzzInputKind.Binary;
        List<string> Inputs()
        {
            var inputs = new List<string>();
            var result = new MutationFuzzer(Corpus, kind).Run(i => inputs.Add(Convert.ToBase64String(i)), new FuzzSettings(Mutations, 42));
            Assert.Equal(Corpus.Files.Count + Mutations, result.Inputs);
            Assert.False(result.Incomplete);
            return inputs;
        }

        var first = Inputs();
        var second = Inputs();
        Assert.Equal(Corpus.Files.Count + Mutations, first.Count);
        Assert.Equal(first, second);
        Assert.True(first.Skip(Corpus.Files.Count).Distinct().Count() > Mutations / 2, "mutations barely vary");
    }

    [Fact]
    public void Run_TimeCapReachedBeforeTheLastInput_IsIncompleteAndSaysHowFarItGot()
    {
        // A cap of zero is reached before the first input: nothing ran, which must not read as a pass.
        var ran = 0;
        var settings = new FuzzSettings(100, 5) { TimeCap = TimeSpan.Zero, SaveCrashes = false };

        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(_ => ran++, settings);

        Assert.Null(result.Failure);
        Assert.True(result.Incomplete);
        Assert.Equal(0, ran);
        Assert.Equal(Corpus.Files.Count + 100, result.Planned);
        Assert.Contains($"ran 0 of {Corpus.Files.Count + 100} inputs in the 0 s cap", result.DescribeIncomplete(settings.TimeCap), StringComparison.Ordinal);
        Assert.Contains("INCOMPLETE", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InputThatNeverReturns_IsReportedAsAHang()
    {
        // The first input blocks until released; the fuzzer gives up on it, and the run goes on in the background to its last input.
        var release = new ManualResetEventSlim();
        var calls = 0;
        var settings = new FuzzSettings(1_000, 3) { HangLimit = TimeSpan.FromMilliseconds(200), SaveCrashes = false };

        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(_ => { if (Interlocked.Increment(ref calls) == 1) { release.Wait(); } }, settings);
        release.Set();

        var failure = Assert.IsType<FuzzFailure>(result.Failure);
        Assert.True(failure.IsHang);
        Assert.Equal(0, failure.InputNumber);
        Assert.Equal(Corpus.Files[0].Bytes, failure.Input);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Mutate_StaysWithinTheLengthLimit(bool text)
    {
        var seeds = Corpus.Files.Select(f => f.Bytes).ToArray();
        IFuzzMutator mutator = text ? new TextMutator(seeds, 512) : new BinaryMutator(seeds, 512);
        var random = new Random(5);
        var input = seeds[0];
        for (var i = 0; i < 5_000; i++)
        {
            input = mutator.Mutate(i % 10 == 0 ? seeds[i % seeds.Length] : input, random);
            Assert.InRange(input.Length, 0, 512);
        }
    }
}
