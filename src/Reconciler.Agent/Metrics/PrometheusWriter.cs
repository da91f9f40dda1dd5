using System.Buffers;
using System.Globalization;
using System.Text;

namespace Reconciler.Agent.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): one <c># HELP</c> and <c># TYPE</c> per family, samples
/// with escaped label values, counters named <c>_total</c>. Families must be written whole, one after another.
/// Written as UTF-8 into a buffer that the caller can send and empty whenever <see cref="IsFull"/> says so: a node with
/// 10,000 x 10 real servers has 16 MB of metrics, and a scrape then costs one small buffer, not the whole text twice.
/// </summary>
public sealed class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>How much <see cref="IsFull"/> lets pile up before the caller should send it.</summary>
    public const int PieceBytes = 16 * 1024;

    private static readonly SearchValues<char> NeedEscaping = SearchValues.Create("\\\"\n");

    private static readonly SearchValues<char> MetricNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private readonly ArrayBufferWriter<byte> _buffer = new(PieceBytes + 1024);
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>At least <see cref="PieceBytes"/> written since the last <see cref="Clear"/>: time to send them.</summary>
    public bool IsFull => _buffer.WrittenCount >= PieceBytes;

    /// <summary>What was written since the last <see cref="Clear"/>, as UTF-8.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Forgets what was written (after it was sent), keeping the buffer and the families seen.</summary>
    public void Clear() => _buffer.ResetWrittenCount();

    /// <summary>
    /// Starts a family. A family name seen before, a name that is not a metric name, a type that is not one of the
    /// format's, a counter not named <c>_total</c> or another type named so (what <c>promtool check metrics</c>
    /// reports) are programming errors.
    /// </summary>
    public PrometheusWriter Family(string name, string type, string help)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a metric name ([a-zA-Z_][a-zA-Z0-9_]*)", nameof(name));
        }

        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            throw new ArgumentException($"'{type}' is not a metric type", nameof(type));
        }

        if ((type == "counter") != name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name}: counters, and only counters, end in _total", nameof(name));
        }

        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _current = name;
        Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>A sample of the current family (<paramref name="suffix"/>: <c>_sum</c>, <c>_count</c>, <c>_bucket</c>).</summary>
    public PrometheusWriter Sample(double value, params (string Name, string Value)[] labels) => Sample("", value, labels);

    public PrometheusWriter Sample(string suffix, double value, params (string Name, string Value)[] labels)
    {
        var name = _current ?? throw new InvalidOperationException("Family() first");
        Append(name).Append(suffix);
        if (labels.Length > 0)
        {
            Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    Append(',');
                }

                Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            Append('}');
        }

        Append(' ').AppendValue(value).Append('\n');
        return this;
    }

    /// <summary>What was written since the last <see cref="Clear"/>, as text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_buffer.WrittenSpan);

    private PrometheusWriter Append(string text)
    {
        Encoding.UTF8.GetBytes(text, _buffer);
        return this;
    }

    private PrometheusWriter Append(char ascii)
    {
        _buffer.GetSpan(1)[0] = (byte)ascii;
        _buffer.Advance(1);
        return this;
    }

    private PrometheusWriter AppendValue(double value)
    {
        switch (value)
        {
            case double.PositiveInfinity:
                return Append("+Inf");
            case double.NegativeInfinity:
                return Append("-Inf");
            case double.NaN:
                return Append("NaN");
        }

        var span = _buffer.GetSpan(32);
        if (!value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture))
        {
            return Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        _buffer.Advance(written);
        return this;
    }

    private static bool IsMetricName(string name) =>
        !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(MetricNameCharacters);

    internal static string EscapeLabel(string value) => value.AsSpan().ContainsAny(NeedEscaping)
        ? value
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
        : value;

    private static string EscapeHelp(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);
}
