using System.Globalization;
using Reconciler.Bench.Lab;
using Reconciler.Bench.Report;

namespace Reconciler.Bench.Commands;

/// <summary>The runs of one whole command under one name (a row of the report): its times as a
/// <see cref="BenchmarkRow"/>, the median of its peak resident sizes as a figure, and its ratio to an anchor.</summary>
internal sealed class CommandSamples(string operation)
{
    private readonly List<CommandRun> _runs = [];

    public string Operation => operation;

    /// <summary>Keeps <paramref name="run"/> (already checked by the caller) and returns it.</summary>
    public CommandRun Add(CommandRun run)
    {
        _runs.Add(run);
        return run;
    }

    public BenchmarkRow Row() => BenchmarkRow.From(Operation, _runs.Select(r => r.Seconds).ToList());

    /// <summary><c>peak RSS: OPERATION</c>, the median of the runs' peaks in MB; null when none was measured.</summary>
    public BenchmarkFigure? Peak()
    {
        var peaks = _runs.Where(r => r.PeakBytes is not null).Select(r => r.PeakBytes!.Value).Order().ToArray();
        return peaks.Length == 0 ? null : new BenchmarkFigure("peak RSS: " + Operation, Math.Round(peaks[peaks.Length / 2] / 1048576.0, 1), "MB");
    }

    /// <summary>The median of ours over the anchor's, <c>OURS / ANCHOR</c>.</summary>
    public BenchmarkRatio Ratio(CommandSamples anchor, double? target) =>
        new($"{Operation} / {anchor.Operation}", Row().MedianSeconds / anchor.Row().MedianSeconds, target);

    /// <summary>The median of ours over a budget in seconds.</summary>
    public BenchmarkRatio Budget(double seconds) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{Operation} / {ReportFigures.Time(seconds)} budget"), Row().MedianSeconds / seconds, 1.0);
}
