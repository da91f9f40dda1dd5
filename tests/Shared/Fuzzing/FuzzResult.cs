using System.Globalization;

namespace Reconciler.Testing.Fuzzing;

/// <summary>What one fuzz run did: how many inputs in how long, and the first contract violation, if any.</summary>
internal sealed record FuzzResult(string Target, int Seed, long Inputs, TimeSpan Elapsed, FuzzFailure? Failure)
{
    public double InputsPerSecond => Elapsed > TimeSpan.Zero ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>One line for the test log: <c>FUZZ target=vrrp seed=12 inputs=90000 seconds=8.0 per-second=11250 ok</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"FUZZ target={Target} seed={Seed} inputs={Inputs} seconds={Elapsed.TotalSeconds:0.0} per-second={InputsPerSecond:0} {(Failure is null ? "ok" : "FAILED")}");
}
