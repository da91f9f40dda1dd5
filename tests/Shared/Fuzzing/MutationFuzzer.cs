using System.Diagnostics;
using System.Security.Cryptography;

namespace Reconciler.Testing.Fuzzing;

/// <summary>What the inputs of a target are, which decides how they are mutated.</summary>
internal enum FuzzInputKind
{
    /// <summary>Wire bytes (netlink, VRRP): byte-level mutations.</summary>
    Binary,

    /// <summary>Configuration text (YAML, keepalived.conf): line and token mutations, some byte-level ones.</summary>
    Text,
}

/// <summary>
/// A small coverage-less mutation fuzzer for use inside tests, where SharpFuzz's instrumented build and libFuzzer
/// are not available. It runs the target's contract (an action that throws when the contract is broken) on every
/// corpus file as it is, then on a fixed number of mutations of them. The sequence of inputs depends only on the
/// corpus and the seed, so a run with a fixed seed tests the same inputs on any machine, and a failure reproduces with
/// <c>FUZZ_SEED</c>; the failing input is also shrunk, reported as base64 and, on the host, written to
/// <c>tests/corpus/TARGET/crashes/</c>. An input that runs longer than <see cref="FuzzSettings.HangLimit"/> is
/// reported as a hang; a run that reaches <see cref="FuzzSettings.TimeCap"/> before its last input fails.
/// </summary>
internal sealed class MutationFuzzer
{
    private readonly FuzzCorpus _corpus;
    private readonly FuzzInputKind _kind;
    private readonly IFuzzMutator _mutator;
    private readonly byte[][] _seeds;

    public MutationFuzzer(FuzzCorpus corpus, FuzzInputKind kind, int maxInputBytes = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        _corpus = corpus;
        _kind = kind;
        _seeds = corpus.Files.Select(f => f.Bytes).ToArray();
        _mutator = kind == FuzzInputKind.Text ? new TextMutator(_seeds, maxInputBytes) : new BinaryMutator(_seeds, maxInputBytes);
    }

    /// <summary>
    /// Fuzzes <paramref name="target"/> with the settings from the environment (<paramref name="defaultInputs"/>
    /// mutations unless <c>FUZZ_INPUTS</c> says otherwise), prints the run's figures, and fails the test with the
    /// reproducer when the contract broke, or when the run stopped at the time cap before its last input.
    /// </summary>
    public static FuzzResult Check(string target, FuzzInputKind kind, Action<byte[]> contract, long defaultInputs, int maxInputBytes = 64 * 1024)
    {
        var settings = FuzzSettings.FromEnvironment(defaultInputs);
        var fuzzer = new MutationFuzzer(FuzzCorpus.Load(target), kind, maxInputBytes);
        Console.WriteLine($"FUZZ target={target} seed={settings.Seed} mutations={settings.Inputs} started");
        var result = fuzzer.Run(contract, settings);
        Console.WriteLine(result.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        if (result.Failure is { } failure)
        {
            Assert.Fail(failure.Describe(settings.HangLimit));
        }

        if (result.Incomplete)
        {
            Assert.Fail(result.DescribeIncomplete(settings.TimeCap));
        }

        return result;
    }

    /// <summary>How many inputs a run with these settings tries: the whole corpus, then the mutations.</summary>
    public long PlannedInputs(FuzzSettings settings) => _seeds.Length + settings.Inputs;

    public FuzzResult Run(Action<byte[]> contract, FuzzSettings settings)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(settings);
        var progress = new Progress();
        FuzzResult? result = null;
        var thread = new Thread(() => result = Loop(contract, settings, progress))
        {
            IsBackground = true,
            Name = $"fuzz {_corpus.Target}",
        };
        thread.Start();
        while (!thread.Join(TimeSpan.FromMilliseconds(50)))
        {
            if (progress.Running is { } running && running.Elapsed > settings.HangLimit)
            {
                // The thread cannot be stopped; it is a background thread and does not keep the process alive.
                var input = running.Input;
                var failure = new FuzzFailure(_corpus.Target, settings.Seed, running.Number, input, input, null) { SavedTo = settings.SaveCrashes ? Save(input) : null };
                return new FuzzResult(_corpus.Target, settings.Seed, running.Number, PlannedInputs(settings), progress.Clock.Elapsed, failure);
            }
        }

        return result!;
    }

    private FuzzResult Loop(Action<byte[]> contract, FuzzSettings settings, Progress progress)
    {
        var random = new Random(settings.Seed);
        var planned = PlannedInputs(settings);
        byte[]? previous = null;
        for (long number = 0; ; number++)
        {
            if (number == planned || progress.Clock.Elapsed >= settings.TimeCap)
            {
                // Every planned input, or as many as ran before the cap (which the result says is incomplete).
                return new FuzzResult(_corpus.Target, settings.Seed, number, planned, progress.Clock.Elapsed, null);
            }

            byte[] input;
            if (number < _seeds.Length)
            {
                input = _seeds[number];
            }
            else
            {
                // Mostly a fresh mutation of a corpus entry; now and then another step from the last input.
                var parent = previous is not null && random.Next(5) == 0 ? previous : _seeds[random.Next(_seeds.Length)];
                input = _mutator.Mutate(parent, random);
            }

            progress.Running = new RunningInput(number, input, Stopwatch.GetTimestamp());
            try
            {
                contract(input);
            }
            catch (Exception e)
            {
                var elapsed = progress.Clock.Elapsed;
                var shrunk = InputShrinker.Shrink(input, contract, e, _kind, settings.MinimizeBudget);
                var failure = new FuzzFailure(_corpus.Target, settings.Seed, number, input, shrunk, e) { SavedTo = settings.SaveCrashes ? Save(shrunk) : null };
                return new FuzzResult(_corpus.Target, settings.Seed, number + 1, planned, elapsed, failure);
            }
            finally
            {
                progress.Running = null;
            }

            previous = input;
        }
    }

    /// <summary>Writes a failing input under the checked-in corpus, when the tests run inside the repository.</summary>
    private string? Save(byte[] input)
    {
        try
        {
            if (_corpus.FindSourceDirectory() is not { } source)
            {
                return null;
            }

            var directory = Path.Combine(source, FuzzCorpus.CrashesFolder);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "crash-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16] + (_kind == FuzzInputKind.Text ? ".txt" : ".bin"));
            File.WriteAllBytes(path, input);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record RunningInput(long Number, byte[] Input, long Started)
    {
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Started);
    }

    private sealed class Progress
    {
        private volatile RunningInput? _running;

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public RunningInput? Running
        {
            get => _running;
            set => _running = value;
        }
    }
}
