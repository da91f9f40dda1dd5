using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Status;
using Reconciler.Bench.Ipvs;
using Reconciler.Bench.Lab;
using Reconciler.Health;
using Reconciler.Planning;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Topology.Loading;

namespace Reconciler.Bench.Agent;

/// <summary>
/// What each structure the agent builds at 10,000 services x 10 real servers occupies on the .NET heap (host, no
/// kernel): the bytes still reachable after a full collection, structure by structure, built by the agent's own code
/// from the memory benchmark's topology. Kept between reconciles: the topology in force, the health monitor over it,
/// the kernel's weights for <c>/status</c>, the last executed plan (compacted). Built by every reconcile and garbage
/// after it: the desired state, the kernel dump, the ownership record, the plan. Explains the memory row: the
/// resident size is the kept structures, the runtime and what the collector holds of a reconcile's garbage.
/// Options: --services N (default 10000), --servers N (default 10).
/// </summary>
internal sealed class RetainedMemoryBenchmark : IBenchmark
{
    public string Name => "retained";

    public string Description => "heap bytes of each structure the agent builds at 10,000 x 10 (topology, health, desired, dump, ownership, plan) on the host";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var services = Options.Int(arguments, "--services", 10_000);
        var perService = Options.Int(arguments, "--servers", 10);
        var work = Directory.CreateTempSubdirectory("bench-retained-").FullName;
        try
        {
            var file = Path.Combine(work, "topology.yaml");
            File.WriteAllText(file, TableFiles.Topology(IpvsBenchmark.Table(services, perService)));
            var figures = new List<BenchmarkFigure>();
            var before = Live();

            var loaded = TopologyLoader.LoadPaths([file]);
            var topology = loaded.Topology ?? throw new InvalidOperationException("the generated topology did not load: " + string.Join("; ", loaded.Errors.Take(3)));
            loaded = null;
            before = Measure(figures, "kept: topology in force", before);

            var health = new HealthMonitor(topology, "lb1", TimeProvider.System, NullLoggerFactory.Instance);
            before = Measure(figures, "kept: health monitor (no checks)", before);

            var desired = DesiredStateBuilder.Build(topology, "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), health.Current));
            before = Measure(figures, "per reconcile: desired state", before);

            var dump = new ObservedState(IpvsBenchmark.Table(services, perService), []);
            before = Measure(figures, "per reconcile: kernel dump", before);

            // From a dump of its own, garbage at once: the weights must not keep the dump's objects.
            var weights = WeightsOfAFreshDump(services, perService);
            before = Measure(figures, "kept: kernel weights (/status)", before);

            var record = new OwnershipRecord(
                dump.Services.Select(s => new OwnedService(s.Service, s.Destinations.Select(d => new OwnedDestination(d.Destination)).ToList())).ToList(), []);
            before = Measure(figures, "kept: ownership record (its store keeps the last one read or written)", before);

            // What one no-op reconcile (a drift check) allocates, phase by phase, on this thread.
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var again = DesiredStateBuilder.Build(topology, "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), health.Current));
            allocated = Allocated(figures, "drift check allocates: desired state", allocated);
            var store = new FileOwnershipStore(Path.Combine(work, "ownership.json"));
            store.Save(record);
            allocated = GC.GetAllocatedBytesForCurrentThread();
            var loadedRecord = store.Load();
            allocated = Allocated(figures, "drift check allocates: ownership record loaded", allocated);
            var noop = Planner.Create(again, dump, loadedRecord, new PlannerOptions(DateTimeOffset.UtcNow, PlannerOptions.DefaultDrainTimeout));
            allocated = Allocated(figures, "drift check allocates: plan (nothing to do)", allocated);
            _ = KernelWeights.Of(dump);
            Allocated(figures, "drift check allocates: kernel weights", allocated);
            if (noop.HasChanges)
            {
                throw new InvalidOperationException($"the no-op plan has {noop.Steps.Count} steps: {noop.Steps[0]}");
            }

            again = null;
            loadedRecord = null;
            noop = null;
            before = Live();

            var withoutPlan = before;
            var plan = Planner.Create(desired, new ObservedState([], []), OwnershipRecord.Empty, new PlannerOptions(DateTimeOffset.UtcNow, PlannerOptions.DefaultDrainTimeout));
            Measure(figures, "first reconcile: plan from an empty table", before);

            var executed = ExecutedPlan.Of(DateTimeOffset.UtcNow, plan).Compact();
            plan = null;
            Measure(figures, "kept: executed plan, compacted (/plan)", withoutPlan);

            GC.KeepAlive(topology);
            GC.KeepAlive(health);
            GC.KeepAlive(desired);
            GC.KeepAlive(dump);
            GC.KeepAlive(weights);
            GC.KeepAlive(record);
            GC.KeepAlive(executed);
            figures.Add(new BenchmarkFigure("services", services, "services"));
            figures.Add(new BenchmarkFigure("real servers per service", perService, "real servers"));
            foreach (var figure in figures)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retained: {figure.Name}: {figure.Value} {figure.Unit}"));
            }

            return new BenchmarkReport(
                Name,
                string.Create(CultureInfo.InvariantCulture,
                    $"{services:N0} services x {perService} real servers (wrr, NAT), built by the agent's code on the host; each figure is the heap still reachable after a full blocking collection, less the one before it"),
                [],
                [])
            {
                Figures = figures,
            };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static long Measure(List<BenchmarkFigure> figures, string name, long before)
    {
        var now = Live();
        figures.Add(new BenchmarkFigure(name, Math.Round((now - before) / 1048576.0, 1), "MB"));
        return now;
    }

    /// <summary>In a method of its own, so the JIT does not keep the dump alive in the caller's frame.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static KernelWeights WeightsOfAFreshDump(int services, int perService) =>
        KernelWeights.Of(new ObservedState(IpvsBenchmark.Table(services, perService), []));

    private static long Allocated(List<BenchmarkFigure> figures, string name, long before)
    {
        var now = GC.GetAllocatedBytesForCurrentThread();
        figures.Add(new BenchmarkFigure(name, Math.Round((now - before) / 1048576.0, 1), "MB"));
        return GC.GetAllocatedBytesForCurrentThread();
    }

    private static long Live()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
