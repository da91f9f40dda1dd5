using System.Diagnostics;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// Shrinks a failing input by deleting pieces while it still fails the same way (same exception type thrown from the
/// same method): whole lines first for text, then bytes, halving the piece size each pass (delta debugging, simplified).
/// Bounded by a deadline; what is left when it runs out is still a failing input.
/// </summary>
internal static class InputShrinker
{
    public static byte[] Shrink(byte[] input, Action<byte[]> contract, Exception failure, FuzzInputKind kind, TimeSpan budget)
    {
        var signature = Signature(failure);
        var clock = Stopwatch.StartNew();
        bool StillFails(byte[] candidate)
        {
            try
            {
                contract(candidate);
                return false;
            }
            catch (Exception e)
            {
                return Signature(e) == signature;
            }
        }

        var current = input;
        if (kind == FuzzInputKind.Text)
        {
            current = Join(Remove(SplitLines(current), StillFails, clock, budget));
        }

        return Join(Remove(current.Select(b => new[] { b }).ToList(), StillFails, clock, budget));
    }

    /// <summary>Removes runs of units, largest first, keeping every removal after which the input still fails.</summary>
    private static List<byte[]> Remove(List<byte[]> units, Func<byte[], bool> stillFails, Stopwatch clock, TimeSpan budget)
    {
        for (var size = Math.Max(1, units.Count / 2); size >= 1; size /= 2)
        {
            for (var start = 0; start < units.Count && clock.Elapsed < budget;)
            {
                var candidate = new List<byte[]>(units);
                candidate.RemoveRange(start, Math.Min(size, units.Count - start));
                if (stillFails(Join(candidate)))
                {
                    units = candidate;
                }
                else
                {
                    start += size;
                }
            }
        }

        return units;
    }

    private static List<byte[]> SplitLines(byte[] input)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == (byte)'\n')
            {
                lines.Add(input[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < input.Length)
        {
            lines.Add(input[start..]);
        }

        return lines;
    }

    private static byte[] Join(List<byte[]> units) => units.SelectMany(u => u).ToArray();

    private static (string Type, string? Method) Signature(Exception e) =>
        (e.GetType().FullName ?? e.GetType().Name, e.TargetSite is { } site ? $"{site.DeclaringType?.FullName}.{site.Name}" : null);
}
