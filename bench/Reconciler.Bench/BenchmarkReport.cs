using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reconciler.Bench;

/// <summary>What a benchmark measured: rows of timings plus ratios against a baseline, printable and as JSON.</summary>
internal sealed record BenchmarkReport(string Name, string Measured, IReadOnlyList<BenchmarkRow> Rows, IReadOnlyList<BenchmarkRatio> Ratios)
{
    /// <summary>What is not a time (bytes, rates, counts), each with its unit; what <c>report</c> reads besides the rows.</summary>
    public IReadOnlyList<BenchmarkFigure> Figures { get; init; } = [];

    public string ToTable()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Name}: {Measured}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{"operation",-44} {"median s",10} {"min s",10} {"runs",5}\n");
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Operation,-44} {row.MedianSeconds,10:0.0000} {row.MinSeconds,10:0.0000} {row.Runs,5}\n");
        }

        text.Append('\n');
        foreach (var ratio in Ratios)
        {
            string verdict = ratio.Target is not { } target ? "(no target)"
                : string.Create(CultureInfo.InvariantCulture, $"target <= {target:0.0}x  {(ratio.Value <= target ? "met" : "MISSED")}");
            text.Append(CultureInfo.InvariantCulture, $"{ratio.Name,-44} {ratio.Value,10:0.000}x  {verdict}\n");
        }

        foreach (var figure in Figures)
        {
            text.Append(CultureInfo.InvariantCulture, $"{figure.Name,-44} {figure.Value,10:0.###} {figure.Unit}\n");
        }

        return text.ToString();
    }

    public void WriteJson(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, Name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

internal sealed record BenchmarkRow(string Operation, double MedianSeconds, double MinSeconds, int Runs)
{
    public static BenchmarkRow From(string operation, IReadOnlyList<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        return new BenchmarkRow(operation, sorted[sorted.Length / 2], sorted[0], sorted.Length);
    }
}

/// <summary>Ours / the anchor (or a budget); <see cref="Target"/> the most it may be, null where none is set.</summary>
internal sealed record BenchmarkRatio(string Name, double Value, double? Target);

/// <summary>One measured value that is not a time: <c>agent VmRSS</c>, 412.5, <c>MB</c>.</summary>
internal sealed record BenchmarkFigure(string Name, double Value, string Unit);
