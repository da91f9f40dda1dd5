using System.Text;

namespace Reconciler.Topology.Loading;

/// <summary>JSON pointers (RFC 6901) for topology elements, and the dotted form people read in messages.</summary>
public static class JsonPointer
{
    public static string Append(string pointer, string segment) =>
        pointer + "/" + segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Combine(params ReadOnlySpan<object> segments)
    {
        var pointer = string.Empty;
        foreach (var segment in segments)
        {
            pointer = segment is int index ? Append(pointer, index) : Append(pointer, segment.ToString()!);
        }

        return pointer;
    }

    public static IReadOnlyList<string> Split(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    /// <summary><c>/services/0/realServers/1/weight</c> as <c>services[0].realServers[1].weight</c>.</summary>
    public static string Display(string pointer)
    {
        var segments = Split(pointer);
        if (segments.Count == 0)
        {
            return "(top level)";
        }

        var builder = new StringBuilder();
        string? previous = null;
        foreach (var segment in segments)
        {
            var isIndex = segment.Length > 0 && segment.All(char.IsAsciiDigit) && previous is not ("priorities" or "interfaceOverrides");
            if (isIndex)
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(segment);
            }

            previous = segment;
        }

        return builder.ToString();
    }
}
