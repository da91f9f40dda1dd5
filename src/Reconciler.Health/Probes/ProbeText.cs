using System.Globalization;
using Reconciler.Topology;

namespace Reconciler.Health.Probes;

/// <summary>Wording shared by probe details and event reasons.</summary>
public static class ProbeText
{
    public static string Duration(TimeSpan value) => Durations.Format(value);

    /// <summary><c>1st</c>, <c>2nd</c>, <c>3rd</c>, <c>4th</c>, <c>11th</c>, <c>21st</c>.</summary>
    public static string Ordinal(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>One line of at most <paramref name="max"/> characters, for output quoted in a detail.</summary>
    public static string FirstLine(string text, int max = 200)
    {
        var span = text.AsSpan().Trim();
        var newline = span.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            span = span[..newline].TrimEnd();
        }

        return span.Length <= max ? span.ToString() : string.Concat(span[..max], "...");
    }
}
