using System.Globalization;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// How long and from which seed a fuzz run goes. From the environment: <c>FUZZ_SECONDS</c> (default 8 per target;
/// 0 runs the seeds only), <c>FUZZ_SEED</c> (default: a new one each run, printed, so a failure can be replayed).
/// </summary>
internal sealed record FuzzSettings(TimeSpan Budget, int Seed)
{
    public const double DefaultSeconds = 8;

    /// <summary>One input that runs this long is reported as a hang (generous: the lab guest may be emulated).</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether a failing input is written to the checked-in corpus's <c>crashes/</c> (when the tests run in the repository).</summary>
    public bool SaveCrashes { get; init; } = true;

    /// <summary>How long a failing input may be shrunk before it is reported.</summary>
    public TimeSpan MinimizeBudget { get; init; } = TimeSpan.FromSeconds(5);

    public static FuzzSettings FromEnvironment()
    {
        var seconds = ReadDouble("FUZZ_SECONDS") ?? DefaultSeconds;
        var seed = ReadInt("FUZZ_SEED") ?? Random.Shared.Next();
        return new FuzzSettings(TimeSpan.FromSeconds(Math.Max(0, seconds)), seed);
    }

    private static double? ReadDouble(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException($"{name}={text} is not a number of seconds")
            : null;

    private static int? ReadInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException($"{name}={text} is not a 32-bit integer")
            : null;
}
