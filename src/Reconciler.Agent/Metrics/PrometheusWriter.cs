using System.Globalization;
using System.Text;

namespace Reconciler.Agent.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): one <c># HELP</c> and <c># TYPE</c> per family, samples
/// with escaped label values, counters named <c>_total</c>. Families must be written whole, one after another.
/// </summary>
public sealed class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>Starts a family. A family name seen before is a programming error.</summary>
    public PrometheusWriter Family(string name, string type, string help)
    {
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>A sample of the current family (<paramref name="suffix"/>: <c>_sum</c>, <c>_count</c>, <c>_bucket</c>).</summary>
    public PrometheusWriter Sample(double value, params (string Name, string Value)[] labels) => Sample("", value, labels);

    public PrometheusWriter Sample(string suffix, double value, params (string Name, string Value)[] labels)
    {
        var name = _current ?? throw new InvalidOperationException("Family() first");
        _text.Append(name).Append(suffix);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    internal static string EscapeLabel(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);
}
