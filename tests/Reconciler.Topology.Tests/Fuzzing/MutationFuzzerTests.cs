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

        var result = fuzzer.Run(Contract, new FuzzSettings(TimeSpan.FromSeconds(20), 7) { SaveCrashes = false });

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
    public void Run_NoBudget_RunsEveryCorpusFileOnceInOrder()
    {
        var seen = new List<byte[]>();
        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(seen.Add, new FuzzSettings(TimeSpan.Zero, 1));

        Assert.Null(result.Failure);
        Assert.Equal(Corpus.Files.Count, result.Inputs);
        Assert.Equal(Corpus.Files.Select(f => f.Bytes), seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_SameSeed_SameInputs(bool text)
    {
        var kind = text ? FuzzInputKind.Text : FuzzInputKind.Binary;
        List<string> Inputs()
        {
            var inputs = new List<string>();
            new MutationFuzzer(Corpus, kind).Run(i => inputs.Add(Convert.ToBase64String(i)), new FuzzSettings(TimeSpan.FromMilliseconds(200), 42));
            return inputs;
        }

        var first = Inputs();
        var second = Inputs();
        var common = Math.Min(first.Count, second.Count);
        Assert.True(common > Corpus.Files.Count + 100, $"only {common} inputs");
        Assert.Equal(first.Take(common), second.Take(common));
        Assert.True(first.Skip(Corpus.Files.Count).Take(common).Distinct().Count() > common / 2, "mutations barely vary");
    }

    [Fact]
    public void Run_InputThatNeverReturns_IsReportedAsAHang()
    {
        // The first input blocks until released; the fuzzer gives up on it, and the run goes on in the background to its budget.
        var release = new ManualResetEventSlim();
        var calls = 0;
        var settings = new FuzzSettings(TimeSpan.FromSeconds(1), 3) { HangLimit = TimeSpan.FromMilliseconds(200), SaveCrashes = false };

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
