using System.Globalization;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// What one fuzz run did: how many of its planned inputs (the corpus, then the mutations) it ran in how long, and the
/// first contract violation, if any. A run that stopped at the time cap short of its inputs is <see cref="Incomplete"/>.
/// </summary>
internal sealed record FuzzResult(string Target, int Seed, long Inputs, long Planned, TimeSpan Elapsed, FuzzFailure? Failure)
{
    public double InputsPerSecond => Elapsed > TimeSpan.Zero ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>No contract broken, but not every planned input ran: the run reached its time cap.</summary>
    public bool Incomplete => Failure is null && Inputs < Planned;

    /// <summary>The test failure message of an incomplete run.</summary>
    public string DescribeIncomplete(TimeSpan timeCap) => string.Create(
        CultureInfo.InvariantCulture,
        $"fuzz target '{Target}' ran {Inputs} of {Planned} inputs in the {timeCap.TotalSeconds:0.###} s cap (seed {Seed}): the inputs not run were not tested, so this is a failure; the target got slower, or this machine is too slow for the run (FUZZ_INPUTS=N runs fewer mutations, FUZZ_TIME_CAP=S allows longer)");

    /// <summary>One line for the test log: <c>FUZZ target=vrrp seed=12 inputs=90000 seconds=3.0 per-second=30000 ok</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"FUZZ target={Target} seed={Seed} inputs={Inputs} seconds={Elapsed.TotalSeconds:0.0} per-second={InputsPerSecond:0} {(Failure is not null ? "FAILED" : Incomplete ? $"INCOMPLETE (of {Planned})" : "ok")}");
}
