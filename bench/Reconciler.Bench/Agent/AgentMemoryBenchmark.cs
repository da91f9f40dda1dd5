using System.Globalization;
using Reconciler.Bench.Ipvs;
using Reconciler.Bench.Lab;
using Reconciler.Linux.Ipvs;

namespace Reconciler.Bench.Agent;

/// <summary>
/// The agent's memory at scale against keepalived's for the same table (lab guest): 10,000 services x 10 real
/// servers (wrr, NAT). Ours: <c>reconciler agent</c> in its own namespace follows a git repository holding that
/// topology (git daemon on 127.0.0.1 there); keepalived 2.x: a keepalived.conf with one virtual_server block per
/// service and no checkers, <c>keepalived -n -l</c> in another namespace. Each is timed from its start to the whole
/// table in the kernel (seen over netlink, confirmed with a full dump); the agent also until its reconcile is over
/// (/metrics counts the commit applied: it logs every operation after the kernel has them all). Five seconds later
/// the resident memory is read from /proc (VmRSS now, VmHWM peak), keepalived's summed over its processes (parent
/// and checker child).
/// One after the other, never side by side. Options: --services N (default 10000), --servers N (default 10).
/// </summary>
internal sealed class AgentMemoryBenchmark : IBenchmark
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>The agent's drift interval (its default, 30 s) and a margin: a sampling span holding one drift check.</summary>
    private static readonly TimeSpan DriftCycle = TimeSpan.FromSeconds(35);

    public string Name => "memory";

    public string Description => "agent RSS and time to apply 10,000 services x 10 from git, vs keepalived for the same table (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var services = Options.Int(arguments, "--services", 10_000);
        var perService = Options.Int(arguments, "--servers", 10);
        var table = IpvsBenchmark.Table(services, perService);
        var work = Directory.CreateTempSubdirectory("bench-memory-").FullName;

        var (agentSeconds, agentMemory, phases) = Agent(table, work);
        Console.Error.WriteLine($"memory: agent applied {services:N0} x {perService} in {agentSeconds:0.0} s, VmRSS {Megabytes(agentMemory.Resident)} MB, VmHWM {Megabytes(agentMemory.Peak)} MB");
        var (keepalivedSeconds, keepalivedMemory, processes) = Keepalived(table, work);
        Console.Error.WriteLine($"memory: keepalived ({processes} processes) loaded {services:N0} x {perService} in {keepalivedSeconds:0.0} s, VmRSS {Megabytes(keepalivedMemory.Resident)} MB, VmHWM {Megabytes(keepalivedMemory.Peak)} MB");

        return new BenchmarkReport(
            Name,
            string.Create(CultureInfo.InvariantCulture,
                $"{services:N0} services x {perService} real servers; agent: from git (daemon on loopback), keepalived: keepalived.conf without checkers ({processes} processes); RSS read {Settle.TotalSeconds:0} s after the table was complete (the agent: after its reconcile was over)"),
            [
                new BenchmarkRow("agent: start -> whole table in the kernel", agentSeconds, agentSeconds, 1),
                new BenchmarkRow("keepalived: start -> whole table in the kernel", keepalivedSeconds, keepalivedSeconds, 1),
            ],
            [
                new BenchmarkRatio("VmRSS agent / keepalived", (double)agentMemory.Resident / keepalivedMemory.Resident, 2.0), // issue 15: <= 2x
                new BenchmarkRatio("time to the whole table agent / keepalived", agentSeconds / keepalivedSeconds, 1.0),
            ])
        {
            Figures =
            [
                new BenchmarkFigure("agent VmRSS", Megabytes(agentMemory.Resident), "MB"),
                new BenchmarkFigure("agent VmHWM", Megabytes(agentMemory.Peak), "MB"),
                new BenchmarkFigure("agent RssAnon (heaps, stacks)", Megabytes(agentMemory.Anonymous), "MB"),
                new BenchmarkFigure("agent RssFile (executable, libraries)", Megabytes(agentMemory.FilePages), "MB"),
                new BenchmarkFigure("keepalived VmRSS", Megabytes(keepalivedMemory.Resident), "MB"),
                new BenchmarkFigure("keepalived VmHWM", Megabytes(keepalivedMemory.Peak), "MB"),
                new BenchmarkFigure("keepalived RssAnon", Megabytes(keepalivedMemory.Anonymous), "MB"),
                new BenchmarkFigure("keepalived RssFile", Megabytes(keepalivedMemory.FilePages), "MB"),
                new BenchmarkFigure("keepalived processes", processes, "processes"),
                .. phases,
                new BenchmarkFigure("services", services, "services"),
                new BenchmarkFigure("real servers per service", perService, "real servers"),
            ],
        };
    }

    /// <summary>The agent's run: time to the whole table, memory, and the phases on the way (from its log and /metrics).</summary>
    private static (double Seconds, ProcessMemory Memory, List<BenchmarkFigure> Phases) Agent(List<Reconciler.Ipvs.ServiceWithDestinations> table, string work)
    {
        using var space = new LabNamespace("bmemagent");
        var repository = new TopologyRepository(Path.Combine(work, "agent"));
        repository.Commit(TableFiles.Topology(table), $"{table.Count} services");
        using var daemon = repository.Serve(space, LabLogs.File(work, "memory-git-daemon.log"));
        using var client = IpvsNetlinkClient.Open(space.Path);
        // The phases count from the agent's start, as the time to the table does (until 2026-12-07 they counted from
        // before the repository was written and committed: about 8 s early at 10,000 x 10).
        var started = DateTime.UtcNow;
        using var agent = AgentProcess.Start(space, Path.Combine(work, "agent", "state"), "15s", LabLogs.File(work, "memory-agent.log"));
        var seconds = KernelTable.WaitComplete(client, table, agent.Clock, TimeSpan.FromMinutes(20), agent);
        var done = AgentProcess.WaitCommitsApplied(space, agent, 1, TimeSpan.FromMinutes(20));
        Thread.Sleep(Settle);
        agent.ThrowIfExited();
        var command = ProcessMemory.Command(agent.Id);
        if (!command.StartsWith("reconciler", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"process {agent.Id} is '{command}', not the agent");
        }

        var memory = ProcessMemory.Of(agent.Id);
        var cycle = SampleResident(agent, DriftCycle);
        if (Environment.GetEnvironmentVariable("BENCH_GCDUMP") is { Length: > 0 } dump)
        {
            // What the agent's heap holds, for `dotnet-gcdump report FILE`: BENCH_GCDUMP=FILE, and the tool
            // (dotnet tool install dotnet-gcdump) on PATH or named by BENCH_GCDUMP_TOOL; the agent's diagnostics socket
            // is in /tmp, which network namespaces share.
            var tool = Environment.GetEnvironmentVariable("BENCH_GCDUMP_TOOL") is { Length: > 0 } named ? named : "dotnet-gcdump";
            var (exit, output, error, _) = Shell.TryRun(tool, null, "collect", "-p", agent.Id.ToString(CultureInfo.InvariantCulture), "-o", dump);
            Console.Error.WriteLine($"memory: dotnet-gcdump exit {exit}: {output}{error}");
        }
        if (Environment.GetEnvironmentVariable("BENCH_SMAPS") is { Length: > 0 } smaps)
        {
            // Where the resident memory is, mapping by mapping (the GC's regions, malloc's arenas, stacks, files).
            File.Copy($"/proc/{agent.Id.ToString(CultureInfo.InvariantCulture)}/smaps", smaps, overwrite: true);
        }

        if (Environment.GetEnvironmentVariable("BENCH_HEAPDUMP") is { Length: > 0 } heapDump)
        {
            // Every object on the heap, dead or alive, for `dotnet-dump analyze FILE` (dumpheap -stat, gcroot): the
            // JIT build only (RECONCILER_BIN=src/Reconciler.Cli/bin/Release/net10.0/reconciler), the tool named by
            // BENCH_HEAPDUMP_TOOL or dotnet-dump on PATH.
            var tool = Environment.GetEnvironmentVariable("BENCH_HEAPDUMP_TOOL") is { Length: > 0 } named ? named : "dotnet-dump";
            var (exit, output, error, _) = Shell.TryRun(tool, null, "collect", "-p", agent.Id.ToString(CultureInfo.InvariantCulture), "--type", "Heap", "-o", heapDump);
            Console.Error.WriteLine($"memory: dotnet-dump exit {exit}: {output}{error}");
        }

        var phases = new List<BenchmarkFigure>
        {
            new("agent phase: start -> reconcile done", Math.Round(done, 2), "s"),
            new("agent VmRSS over a drift cycle: median", Megabytes(cycle.Median), "MB"),
            new("agent VmRSS over a drift cycle: max", Megabytes(cycle.Max), "MB"),
        };
        foreach (var (name, marker) in new[]
        {
            ("agent phase: start -> service running", "Agent for node lb1"),
            ("agent phase: start -> commit validated", "is now in force"),
            ("agent phase: start -> apply begins", "Applying "),
        })
        {
            if (AgentProcess.LogTime(agent.Log, marker, started) is { } at)
            {
                phases.Add(new BenchmarkFigure(name, Math.Round(at, 2), "s"));
            }
        }

        if (AgentProcess.Metric(space, "reconciler_reconcile_duration_seconds_sum") is { } reconcile)
        {
            phases.Add(new BenchmarkFigure("agent reconcile time so far (metrics)", Math.Round(reconcile, 2), "s"));
        }

        if (AgentProcess.Metric(space, "reconciler_operations_applied_total") is { } operations)
        {
            phases.Add(new BenchmarkFigure("agent operations applied", operations, "operations"));
        }

        // What of the resident size the .NET heap is: live data (heap) and what the GC keeps from the system (committed).
        foreach (var (figure, metric) in new[] { ("agent GC heap", "dotnet_gc_heap_size_bytes"), ("agent GC committed", "dotnet_gc_committed_bytes") })
        {
            if (AgentProcess.Metric(space, metric) is { } bytes)
            {
                phases.Add(new BenchmarkFigure(figure, Megabytes((long)bytes), "MB"));
            }
        }

        return (seconds, memory, phases);
    }

    private static (double Seconds, ProcessMemory Memory, int Processes) Keepalived(List<Reconciler.Ipvs.ServiceWithDestinations> table, string work)
    {
        var directory = Path.Combine(work, "keepalived");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "keepalived.conf");
        File.WriteAllText(config, TableFiles.Keepalived(table));
        using var space = new LabNamespace("bmemka", "10.0.0.2/16");
        using var client = IpvsNetlinkClient.Open(space.Path);
        using var keepalived = LabProcess.StartIn(space.Name, LabLogs.File(work, "memory-keepalived.log"), "keepalived", "-n", "-l", "-f", config,
            "-p", Path.Combine(directory, "keepalived.pid"), "-c", Path.Combine(directory, "checkers.pid"), "-r", Path.Combine(directory, "vrrp.pid"));
        var seconds = KernelTable.WaitComplete(client, table, keepalived.Clock, TimeSpan.FromMinutes(20), keepalived);
        Thread.Sleep(Settle);
        keepalived.ThrowIfExited();
        var pids = space.Pids();
        return (seconds, ProcessMemory.Sum(pids), pids.Count);
    }

    /// <summary>The agent's VmRSS once a second for <paramref name="span"/>: at 10,000 x 10 each drift check
    /// (every 30 s by default) reads the kernel and plans again, and its memory comes and goes; the figure after the
    /// reconcile is one moment of that.</summary>
    private static (long Median, long Max) SampleResident(LabProcess agent, TimeSpan span)
    {
        var samples = new List<long>();
        var end = DateTime.UtcNow + span;
        while (DateTime.UtcNow < end)
        {
            agent.ThrowIfExited();
            samples.Add(ProcessMemory.Of(agent.Id).Resident);
            Thread.Sleep(1000);
        }

        Console.Error.WriteLine($"memory: agent VmRSS once a second (MB): {string.Join(' ', samples.Select(Megabytes))}");
        samples.Sort();
        return (samples[samples.Count / 2], samples[^1]);
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
