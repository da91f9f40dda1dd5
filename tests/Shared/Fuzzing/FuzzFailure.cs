using System.Text;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// An input that broke the target's contract: the exception it raised (null for a hang), where in the run it came,
/// and the input itself, shrunk while it still fails the same way.
/// </summary>
internal sealed record FuzzFailure(string Target, int Seed, long InputNumber, byte[] Input, byte[] Shrunk, Exception? Exception)
{
    /// <summary>Where the shrunk input was written (the checked-in corpus's <c>crashes/</c>), when it could be.</summary>
    public string? SavedTo { get; init; }

    public bool IsHang => Exception is null;

    /// <summary>The test failure message: enough to reproduce without the run's log.</summary>
    public string Describe(TimeSpan hangLimit)
    {
        var text = new StringBuilder();
        text.Append("fuzz target '").Append(Target).Append("' broke its contract on input #").Append(InputNumber)
            .Append(" of seed ").Append(Seed).Append(" (FUZZ_SEED=").Append(Seed).AppendLine(" replays the run)");
        text.AppendLine(IsHang ? $"the input ran for more than {hangLimit.TotalSeconds:0} s" : Exception!.ToString());
        text.Append("input");
        if (Shrunk.Length != Input.Length)
        {
            text.Append(", shrunk from ").Append(Input.Length).Append(" bytes");
        }

        text.Append(" (").Append(Shrunk.Length).Append(" bytes, base64): ").AppendLine(Convert.ToBase64String(Shrunk));
        if (SavedTo is not null)
        {
            text.Append("saved to ").Append(SavedTo).Append("; once fixed, move it to tests/corpus/").Append(Target).AppendLine("/regressions/");
        }
        else
        {
            text.Append("add it to tests/corpus/").Append(Target).AppendLine("/regressions/ once fixed");
        }

        return text.ToString();
    }
}
