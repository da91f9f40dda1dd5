using System.Globalization;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// How many mutated inputs a fuzz run tries, after the whole corpus, and from which seed. The count, not a time budget,
/// ends a run: with a fixed seed the inputs are then the same on every machine, fast or slow. From the environment:
/// <c>FUZZ_INPUTS</c> (default: the target's own count, chosen to take a few seconds on a build machine; 0 runs the
/// corpus only), <c>FUZZ_SEED</c> (default: a new one each run, printed, so a failure can be replayed),
/// <c>FUZZ_TIME_CAP</c> (seconds, default 120: for a long local run with many inputs).
/// </summary>
internal sealed record FuzzSettings(long Inputs, int Seed)
{
    /// <summary>One input that runs this long is reported as a hang (generous: the lab guest may be emulated).</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromSeconds(60);

    public const double DefaultTimeCapSeconds = 120;

    /// <summary>
    /// The longest a whole run may take. A run that reaches it has not tried all its inputs and fails (never passes
    /// with fewer inputs than asked for): it only keeps a far too slow run from holding up the test run for long.
    /// </summary>
    public TimeSpan TimeCap { get; init; } = TimeSpan.FromSeconds(DefaultTimeCapSeconds);

    /// <summary>Whether a failing input is written to the checked-in corpus's <c>crashes/</c> (when the tests run in the repository).</summary>
    public bool SaveCrashes { get; init; } = true;

    /// <summary>How long a failing input may be shrunk before it is reported.</summary>
    public TimeSpan MinimizeBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <param name="defaultInputs">The target's count of mutated inputs when <c>FUZZ_INPUTS</c> is not set.</param>
    public static FuzzSettings FromEnvironment(long defaultInputs)
    {
        var inputs = ReadLong("FUZZ_INPUTS") ?? defaultInputs;
        var seed = ReadInt("FUZZ_SEED") ?? Random.Shared.Next();
        var cap = ReadSeconds("FUZZ_TIME_CAP") ?? DefaultTimeCapSeconds;
        return new FuzzSettings(inputs, seed) { TimeCap = TimeSpan.FromSeconds(cap) };
    }

    private static double? ReadSeconds(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InvalidOperationException($"{name}={text} is not a number of seconds above 0")
            : null;

    private static long? ReadLong(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new InvalidOperationException($"{name}={text} is not a number of inputs (0 or more)")
            : null;

    private static int? ReadInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException($"{name}={text} is not a 32-bit integer")
            : null;
}
