using System.Globalization;
using System.Text;

namespace Reconciler.Agent.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4), enough to check what the agent writes:
/// every family has one <c># HELP</c> then one <c># TYPE</c>; every sample belongs to the family declared last
/// (histograms: <c>_bucket</c>, <c>_sum</c>, <c>_count</c>); label values unescaped; histogram buckets ascending in
/// <c>le</c>, cumulative, ending with <c>+Inf</c> equal to <c>_count</c>. Throws <see cref="FormatException"/> with
/// the line number on anything else.
/// </summary>
internal static class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the text does not end with a newline");
        }

        Family? current = null;
        string? help = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var at = $"line {i + 1} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                if (help is not null || families.ContainsKey(name))
                {
                    throw new FormatException($"{at}: HELP for {name} again or without TYPE");
                }

                help = name;
                current = new Family(name, "", space < 0 ? "" : Unescape(rest[(space + 1)..], label: false), []);
                CheckName(name, at);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || current is null || help != parts[0] || families.ContainsKey(parts[0]))
                {
                    throw new FormatException($"{at}: TYPE must follow the family's HELP, once");
                }

                if (parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"{at}: unknown type {parts[1]}");
                }

                current = current with { Type = parts[1] };
                families.Add(current.Name, current);
                help = null;
            }
            else if (line.StartsWith('#') || line.Length == 0)
            {
                throw new FormatException($"{at}: unexpected comment or empty line");
            }
            else
            {
                if (current is null || help is not null)
                {
                    throw new FormatException($"{at}: sample before any # TYPE");
                }

                var sample = ParseSample(line, at);
                var allowed = current.Type == "histogram"
                    ? new[] { current.Name + "_bucket", current.Name + "_sum", current.Name + "_count" }
                    : [current.Name];
                if (!allowed.Contains(sample.Name))
                {
                    throw new FormatException($"{at}: sample {sample.Name} does not belong to family {current.Name} ({current.Type})");
                }

                if (current.Type == "counter" && !current.Name.EndsWith("_total", StringComparison.Ordinal))
                {
                    throw new FormatException($"{at}: counter {current.Name} not named _total");
                }

                if (current.Samples.Any(s => s.Name == sample.Name && SameLabels(s.Labels, sample.Labels)))
                {
                    throw new FormatException($"{at}: duplicate series");
                }

                current.Samples.Add(sample);
            }
        }

        if (help is not null)
        {
            throw new FormatException($"HELP for {help} without TYPE at the end");
        }

        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return families;
    }

    private static void CheckHistogram(Family family)
    {
        var buckets = family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
        var count = family.Samples.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"{family.Name}: no _count");
        _ = family.Samples.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"{family.Name}: no _sum");
        if (buckets.Count == 0 || buckets[^1].Labels.GetValueOrDefault("le") != "+Inf")
        {
            throw new FormatException($"{family.Name}: the last bucket is not le=\"+Inf\"");
        }

        var previousBound = double.NegativeInfinity;
        var previousCount = 0.0;
        foreach (var bucket in buckets)
        {
            var bound = ParseValue(bucket.Labels.GetValueOrDefault("le") ?? throw new FormatException($"{family.Name}: bucket without le"), family.Name);
            if (bound <= previousBound || bucket.Value < previousCount)
            {
                throw new FormatException($"{family.Name}: bucket le={bound} is not after le={previousBound} or its count {bucket.Value} is below {previousCount}");
            }

            previousBound = bound;
            previousCount = bucket.Value;
        }

        if (previousCount != count.Value)
        {
            throw new FormatException($"{family.Name}: le=\"+Inf\" is {previousCount} but _count is {count.Value}");
        }
    }

    private static Sample ParseSample(string line, string at)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }

        var name = line[..position];
        CheckName(name, at);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                CheckName(label, at);
                if (line[equals + 1] != '"')
                {
                    throw new FormatException($"{at}: label value not quoted");
                }

                var value = new StringBuilder();
                position = equals + 2;
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{at}: bad escape \\{line[position]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"{at}: label {label} twice");
                }

                position++;
                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException($"{at}: expected , or }} after a label");
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"{at}: no value");
        }

        var valueText = line[(position + 1)..];
        if (valueText.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"{at}: timestamps are not written by the agent");
        }

        return new Sample(name, labels, ParseValue(valueText, at));
    }

    private static double ParseValue(string text, string at) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"{at}: '{text}' is not a number"),
    };

    private static void CheckName(string name, string at)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"{at}: '{name}' is not a metric or label name");
        }
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static string Unescape(string text, bool label)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] is '\\' or 'n' || (label && text[i + 1] == '"')))
            {
                result.Append(text[++i] == 'n' ? '\n' : text[i]);
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    /// <summary>The value of the one series of <paramref name="family"/> with exactly these labels.</summary>
    public static double Value(this IReadOnlyDictionary<string, Family> families, string family, params (string Name, string Value)[] labels) =>
        families[family].Samples.Single(s => s.Name == family && SameLabels(s.Labels, labels.ToDictionary(l => l.Name, l => l.Value, StringComparer.Ordinal))).Value;
}
