using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Reconciler.Topology;

/// <summary>
/// Human-readable durations as the topology writes them: <c>100ms</c>, <c>1s</c>, <c>1.5s</c>, <c>5m</c>,
/// <c>1h30m</c>. Units: ms, s, m, h. A bare number is not accepted (it would be ambiguous).
/// </summary>
public static class Durations
{
    private static readonly decimal MaxMilliseconds = (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2;

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return false;
        }

        decimal totalMilliseconds = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0 || !decimal.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            decimal unit;
            if (span.StartsWith("ms", StringComparison.Ordinal))
            {
                unit = 1;
                span = span[2..];
            }
            else if (span.StartsWith("s", StringComparison.Ordinal))
            {
                unit = 1000;
                span = span[1..];
            }
            else if (span.StartsWith("m", StringComparison.Ordinal))
            {
                unit = 60_000;
                span = span[1..];
            }
            else if (span.StartsWith("h", StringComparison.Ordinal))
            {
                unit = 3_600_000;
                span = span[1..];
            }
            else
            {
                return false;
            }

            // Compared before multiplying: a number of 29 digits times the unit would overflow decimal itself.
            if (number > (MaxMilliseconds - totalMilliseconds) / unit)
            {
                return false;
            }

            totalMilliseconds += number * unit;
        }

        value = TimeSpan.FromTicks((long)(totalMilliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a duration (examples: 100ms, 1s, 5m)");

    /// <summary>The canonical text of a duration: the shortest exact form (<c>1s</c>, <c>1500ms</c>, <c>1h30m</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var ticks = value.Ticks;
        if (ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            var ms = (decimal)ticks / TimeSpan.TicksPerMillisecond;
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (ticks % TimeSpan.TicksPerSecond != 0)
        {
            return (ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = ticks / TimeSpan.TicksPerSecond;
        var builder = new StringBuilder();
        if (seconds >= 3600)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds / 3600}h");
            seconds %= 3600;
        }

        if (seconds >= 60)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds / 60}m");
            seconds %= 60;
        }

        if (seconds > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds}s");
        }

        return builder.ToString();
    }
}
