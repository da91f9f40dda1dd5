using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Health;
using Reconciler.Health.Metrics;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Bench.Health;

/// <summary>What to run: <see cref="Checks"/> TCP checks every <see cref="Interval"/> against
/// <see cref="Listeners"/> loopback listeners, measured for <see cref="Measure"/> after <see cref="Settle"/>.</summary>
public sealed record HealthBenchmarkOptions
{
    public int Checks { get; init; } = 10_000;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public int Listeners { get; init; } = 20;

    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>The figures: rate, checker CPU (the process less the listener threads), probe latency and schedule
/// lag (drift: how late each probe started against its due time).</summary>
public sealed record HealthBenchmarkResult(
    int Checks,
    TimeSpan Interval,
    TimeSpan Measured,
    double ChecksPerSecond,
    long Failed,
    TimeSpan CheckerCpu,
    TimeSpan ListenerCpu,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    TimeSpan LatencyMax,
    TimeSpan LagP50,
    TimeSpan LagP99,
    TimeSpan LagMax,
    double AllocatedBytesPerCheck,
    int Gen0,
    int Gen1,
    int Gen2,
    int ProcessorCount,
    string CpusAllowed)
{
    /// <summary>Checker CPU as a share of one core over the measured time.</summary>
    public double CpuShareOfOneCore => CheckerCpu / Measured;

    /// <summary>p99 schedule lag as a share of the interval (target: under 10%).</summary>
    public double LagP99ShareOfInterval => LagP99 / Interval;
}

/// <summary>
/// The health checker's throughput benchmark: thousands of TCP checks through the real <see cref="HealthMonitor"/>
/// (real <see cref="TimeProvider.System"/> timers, real sockets) against loopback listeners served by dedicated
/// threads, moved to another CPU when there is one. Run it on one core for the checker:
/// <c>DOTNET_PROCESSOR_COUNT=1 taskset -c 0 reconciler-bench health</c>. With
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> socket completions run on the epoll thread instead of
/// hopping to the thread pool: on one core that is the difference between keeping up with 10,000 checks/s and not.
/// <see cref="RunConnectBaselineAsync"/> gives the floor: what the bare socket work costs without the checker.
/// </summary>
public static class HealthBenchmark
{
    public static async Task<HealthBenchmarkResult> RunAsync(HealthBenchmarkOptions? options = null, TextWriter? output = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new HealthBenchmarkOptions();
        output ??= Console.Out;
        using var listeners = new LoopbackListeners(options.Listeners);
        var topology = BuildTopology(options, listeners.Ports);
        var recorder = new Recorder((int)(options.Checks * (options.Measure + options.Interval) / options.Interval * 1.5) + 1024);
        var monitor = new HealthMonitor(topology, "bench", TimeProvider.System, NullLoggerFactory.Instance,
            new HealthMonitorOptions { Observer = recorder });
        await using (monitor)
        {
            await monitor.StartAsync(cancellationToken);
            await Task.Delay(options.Settle, cancellationToken);

            var cpuBefore = ProcessCpu();
            var listenerCpuBefore = listeners.Cpu;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var clock = Stopwatch.StartNew();
            recorder.Recording = true;
            await Task.Delay(options.Measure, cancellationToken);
            recorder.Recording = false;
            var measured = clock.Elapsed;
            var cpu = ProcessCpu() - cpuBefore;
            var listenerCpu = listeners.Cpu - listenerCpuBefore;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            await monitor.StopAsync(cancellationToken);

            var (latencies, lags, failed) = recorder.Take();
            var result = new HealthBenchmarkResult(
                options.Checks,
                options.Interval,
                measured,
                latencies.Length / measured.TotalSeconds,
                failed,
                cpu - listenerCpu,
                listenerCpu,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.99),
                latencies.Length > 0 ? latencies[^1] : TimeSpan.Zero,
                Percentile(lags, 0.50),
                Percentile(lags, 0.99),
                lags.Length > 0 ? lags[^1] : TimeSpan.Zero,
                latencies.Length > 0 ? (double)allocated / latencies.Length : 0,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1,
                GC.CollectionCount(2) - gen2,
                Environment.ProcessorCount,
                CpusAllowed());
            Print(result, options, output);
            return result;
        }
    }

    /// <summary>
    /// The floor to compare with: bare TCP connects (connect, reset, close; the TCP probe's socket work without the
    /// checker) from <paramref name="concurrency"/> loops as fast as they go, against the same listeners.
    /// Returns CPU microseconds per connect.
    /// </summary>
    public static async Task<double> RunConnectBaselineAsync(HealthBenchmarkOptions? options = null, int concurrency = 64,
        TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        options ??= new HealthBenchmarkOptions();
        output ??= Console.Out;
        using var listeners = new LoopbackListeners(options.Listeners);
        long connects = 0;
        var recording = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, listeners.Ports[i % listeners.Ports.Count]);
            while (!stop.IsCancellationRequested)
            {
                using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
                    System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(endPoint, CancellationToken.None);
                socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
                if (Volatile.Read(ref recording))
                {
                    Interlocked.Increment(ref connects);
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.Delay(options.Settle, cancellationToken);
        var cpuBefore = ProcessCpu();
        var listenerBefore = listeners.Cpu;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref recording, true);
        await Task.Delay(options.Measure, cancellationToken);
        Volatile.Write(ref recording, false);
        var cpu = ProcessCpu() - cpuBefore - (listeners.Cpu - listenerBefore);
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        var perConnect = cpu.TotalMicroseconds / Math.Max(1, Interlocked.Read(ref connects));
        output.WriteLine("Bare TCP connect baseline (no checker)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {concurrency} loops: {Interlocked.Read(ref connects) / seconds:0} connects/s, {cpu.TotalSeconds:0.00} s CPU = {cpu.TotalSeconds / seconds * 100:0.0}% of one core, {perConnect:0.0} µs CPU per connect"));
        return perConnect;
    }

    public static void Print(HealthBenchmarkResult r, HealthBenchmarkOptions options, TextWriter output)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms";
        static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var rows = new (string, string)[]
        {
            ("checks", $"{r.Checks} TCP, every {r.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, {options.Listeners} loopback listeners"),
            ("processors (runtime / allowed)", $"{r.ProcessorCount} / {r.CpusAllowed}"),
            ("measured", $"{r.Measured.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"),
            ("checks per second", r.ChecksPerSecond.ToString("0", CultureInfo.InvariantCulture)),
            ("failed probes", r.Failed.ToString(CultureInfo.InvariantCulture)),
            ("checker CPU", $"{r.CheckerCpu.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s = {Pct(r.CpuShareOfOneCore)} of one core"),
            ("listener threads CPU (excluded)", $"{r.ListenerCpu.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s"),
            ("CPU per check", (r.CheckerCpu.TotalMicroseconds / Math.Max(1, r.ChecksPerSecond * r.Measured.TotalSeconds)).ToString("0.0", CultureInfo.InvariantCulture) + " µs"),
            ("latency p50 / p99 / max", $"{Ms(r.LatencyP50)} / {Ms(r.LatencyP99)} / {Ms(r.LatencyMax)}"),
            ("schedule lag p50 / p99 / max", $"{Ms(r.LagP50)} / {Ms(r.LagP99)} / {Ms(r.LagMax)}"),
            ("lag p99 / interval (target < 10%)", Pct(r.LagP99ShareOfInterval)),
            ("allocated per check", r.AllocatedBytesPerCheck.ToString("0", CultureInfo.InvariantCulture) + " B"),
            ("GCs gen0 / gen1 / gen2", $"{r.Gen0} / {r.Gen1} / {r.Gen2}"),
        };
        var width = rows.Max(row => row.Item1.Length);
        output.WriteLine("Health checker benchmark");
        foreach (var (name, value) in rows)
        {
            output.WriteLine($"  {name.PadRight(width)}  {value}");
        }
    }

    private static TopologyModel BuildTopology(HealthBenchmarkOptions options, IReadOnlyList<int> ports)
    {
        var check = new HealthCheck(HealthCheckKind.Tcp, options.Interval, TimeSpan.FromSeconds(2), 0, TimeSpan.FromSeconds(1), 1, 1,
            options.Interval, null, null, null, null, null);
        var services = new List<VirtualService>();
        var perService = ports.Count;
        for (var i = 0; services.Count * perService < options.Checks; i++)
        {
            var count = Math.Min(perService, options.Checks - (i * perService));
            var servers = ports.Take(count).Select(p => new RealServer(IPAddress.Loopback, p, 1, 0, 0, null, null)).ToValueList();
            services.Add(new VirtualService($"svc{i}", IPAddress.Parse("10.255.0.1"), 10_000 + i, Protocol.Tcp, null,
                System.Net.Sockets.AddressFamily.InterNetwork, "wlc", [], Forwarding.Nat, null, null, false, null, null, false, null, check, servers));
        }

        return new TopologyModel([], [], [], services.ToValueList());
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string CpusAllowed()
    {
        try
        {
            return File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>Keeps every probe's latency and lag while recording; lock-free.</summary>
    private sealed class Recorder(int capacity) : IHealthCheckObserver
    {
        private readonly long[] _latencies = new long[capacity];
        private readonly long[] _lags = new long[capacity];
        private int _count;
        private long _failed;
        private volatile bool _recording;

        public bool Recording
        {
            get => _recording;
            set => _recording = value;
        }

        public void OnProbe(in ProbeTiming timing)
        {
            if (!_recording)
            {
                return;
            }

            var i = Interlocked.Increment(ref _count) - 1;
            if (i < _latencies.Length)
            {
                _latencies[i] = timing.Duration.Ticks;
                _lags[i] = Math.Max(0, timing.Lag.Ticks);
            }

            if (!timing.Healthy)
            {
                Interlocked.Increment(ref _failed);
            }
        }

        public (TimeSpan[] Latencies, TimeSpan[] Lags, long Failed) Take()
        {
            var n = Math.Min(_count, _latencies.Length);
            var latencies = _latencies.Take(n).Order().Select(TimeSpan.FromTicks).ToArray();
            var lags = _lags.Take(n).Order().Select(TimeSpan.FromTicks).ToArray();
            return (latencies, lags, Interlocked.Read(ref _failed));
        }
    }
}
