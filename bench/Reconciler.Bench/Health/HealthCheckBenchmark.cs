using System.Globalization;

namespace Reconciler.Bench.Health;

/// <summary>
/// The health checker at 10,000 TCP checks a second against loopback listeners. Run it on one core:
/// <c>DOTNET_PROCESSOR_COUNT=1 taskset -c 0 Reconciler.Bench health</c>. Target: schedule lag p99 under 10% of the interval.
/// </summary>
internal sealed class HealthCheckBenchmark : IBenchmark
{
    public string Name => "health";

    public string Description => "10,000 TCP checks/s against loopback listeners: CPU, latency, schedule lag (run on one core)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var options = new HealthBenchmarkOptions();
        var index = arguments.ToList().IndexOf("--checks");
        if (index >= 0 && index + 1 < arguments.Count)
        {
            options = options with { Checks = int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) };
        }

        var result = HealthBenchmark.RunAsync(options, Console.Out).GetAwaiter().GetResult();
        HealthBenchmark.Print(result, options, Console.Out);
        var inline = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";
        return new BenchmarkReport(
            Name,
            $"{options.Checks:N0} TCP checks every {options.Interval.TotalSeconds:0.#} s, {options.Listeners} loopback listeners, "
                + $"{result.ProcessorCount} processor(s) (CPUs {result.CpusAllowed}), inline socket completions {(inline ? "on" : "off")}",
            [],
            [
                new BenchmarkRatio("schedule lag p99 / interval (target 10%)", result.LagP99ShareOfInterval / 0.10, 1.0),
                new BenchmarkRatio("checker CPU, share of one core", result.CpuShareOfOneCore, 1.0),
            ])
        {
            Figures =
            [
                new BenchmarkFigure("checks asked per second", options.Checks / options.Interval.TotalSeconds, "1/s"),
                new BenchmarkFigure("checks done per second", result.ChecksPerSecond, "1/s"),
                new BenchmarkFigure("checks failed", result.Failed, "checks"),
                new BenchmarkFigure("checker CPU, share of one core", result.CpuShareOfOneCore, "cores"),
                new BenchmarkFigure("probe latency p99", result.LatencyP99.TotalMilliseconds, "ms"),
                new BenchmarkFigure("schedule lag p99", result.LagP99.TotalMilliseconds, "ms"),
                new BenchmarkFigure("schedule lag p99, share of the interval", result.LagP99ShareOfInterval, "share"),
                new BenchmarkFigure("inline socket completions", inline ? 1 : 0, "flag"),
            ],
        };
    }
}
