using System.Globalization;

namespace Reconciler.Bench.Lab;

/// <summary>The benchmarks' <c>--name VALUE</c> options.</summary>
internal static class Options
{
    public static string? Text(IReadOnlyList<string> arguments, string name)
    {
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == name)
            {
                return arguments[i + 1];
            }
        }

        return null;
    }

    public static int Int(IReadOnlyList<string> arguments, string name, int fallback) =>
        Text(arguments, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
