using System.Diagnostics;
using System.Globalization;
using Reconciler.Bench.Ipvs;
using Reconciler.Linux.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Ownership;

namespace Reconciler.Bench.Planning;

/// <summary>
/// The reconcile loop against the real kernel (lab guest): with 1,000 services x 10 real servers applied, a no-op
/// reconcile (read the live table + plan) against <c>ipvsadm -Sn</c> alone (target &lt;= 1.0x), and a one-weight
/// change end to end (read + plan + apply: one operation) against one <c>ipvsadm -e</c> of that weight (which reads
/// and plans nothing). Ours: the calls only, client open and warm.
/// ipvsadm: its whole process, as a caller pays it.
/// </summary>
internal sealed class ReconcileBenchmark : IBenchmark
{
    public string Name => "reconcile";

    public string Description => "no-op reconcile and one-weight change with 1,000 x 10 applied, vs ipvsadm -Sn (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var services = Option(arguments, "--services", 1000);
        var runs = Option(arguments, "--runs", 5);
        var table = IpvsBenchmark.Table(services, 10);
        var desired = new DesiredState(
            "lb1",
            table.Select((s, i) => new DesiredService("s" + i.ToString(CultureInfo.InvariantCulture), s.Service, s.Destinations.Select(d => new DesiredDestination(d.Destination)).ToList(), [])).ToList(),
            []);

        using var space = new BenchNamespace();
        using var client = IpvsNetlinkClient.Open(space.Path);
        var reconciler = new NodeReconciler(client, NoNodeAddresses.Instance, new MemoryStore(), TimeProvider.System);

        var clock = Stopwatch.StartNew();
        var first = reconciler.ReadLive();
        var applied = reconciler.Apply(desired, first, reconciler.Plan(desired, first));
        var coldApply = clock.Elapsed.TotalSeconds;
        if (!applied.Result.AllSucceeded || applied.Result.Steps.Count != services * 11)
        {
            throw new InvalidOperationException($"cold apply: {applied.Result.Failed} of {applied.Result.Steps.Count} operations failed");
        }

        var noop = new List<double>();
        var ipvsadm = new List<double>();
        var oneChange = new List<double>();
        var ipvsadmEdit = new List<double>();
        var operations = 0;
        for (var run = 0; run < runs + 1; run++)
        {
            clock.Restart();
            var plan = reconciler.Plan(desired, reconciler.ReadLive());
            var noopSeconds = clock.Elapsed.TotalSeconds;
            if (plan.HasChanges)
            {
                throw new InvalidOperationException($"no-op reconcile planned {plan.Steps.Count} steps");
            }

            var (_, saveSeconds) = space.TimeIpvsadm(null, "-Sn");

            var weight = 100 + run;
            var changed = desired with
            {
                Services = [desired.Services[0] with { Destinations = [new DesiredDestination(desired.Services[0].Destinations[0].Destination with { Weight = weight }), .. desired.Services[0].Destinations.Skip(1)] }, .. desired.Services.Skip(1)],
            };
            clock.Restart();
            var live = reconciler.ReadLive();
            var outcome = reconciler.Apply(changed, live, reconciler.Plan(changed, live));
            var changeSeconds = clock.Elapsed.TotalSeconds;
            if (outcome.Result.Steps.Count != 1 || !outcome.Result.AllSucceeded)
            {
                throw new InvalidOperationException($"one-weight change took {outcome.Result.Steps.Count} operations");
            }

            // The anchor for one change: one ipvsadm -e of that real server to the weight it now has (no drift left behind).
            var (_, editSeconds) = space.TimeIpvsadm(null, "-e", "-t", "10.1.0.0:80", "-r", "10.2.0.0:8080", "-m", "-w", weight.ToString(CultureInfo.InvariantCulture));
            operations = outcome.Result.Steps.Count;
            desired = changed;
            if (run == 0)
            {
                continue; // warm-up
            }

            noop.Add(noopSeconds);
            ipvsadm.Add(saveSeconds);
            oneChange.Add(changeSeconds);
            ipvsadmEdit.Add(editSeconds);
        }

        var median = (IReadOnlyList<double> values) => values.Order().ElementAt(values.Count / 2);
        return new BenchmarkReport(
            Name,
            $"{services:N0} services x 10 real servers in a lab namespace; {runs} runs after a warm-up; one-weight change = 1 operation",
            [
                new BenchmarkRow("cold apply from empty (ours, read+plan+apply)", coldApply, coldApply, 1),
                BenchmarkRow.From("no-op reconcile (ours: read live + plan)", noop),
                BenchmarkRow.From("ipvsadm -Sn (process)", ipvsadm),
                BenchmarkRow.From("one-weight change (ours: read + plan + apply)", oneChange),
                BenchmarkRow.From("ipvsadm -e of that weight (process)", ipvsadmEdit),
            ],
            [new BenchmarkRatio("no-op reconcile / ipvsadm -Sn", median(noop) / median(ipvsadm), 1.0)])
        {
            Figures = [new BenchmarkFigure("one-weight change operations", operations, "operations"), new BenchmarkFigure("services", services, "services")],
        };
    }

    private static int Option(IReadOnlyList<string> arguments, string name, int fallback)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class MemoryStore : IOwnershipStore
    {
        private OwnershipRecord _record = OwnershipRecord.Empty;

        public OwnershipRecord Load() => _record;

        public void Save(OwnershipRecord record) => _record = record;
    }
}
