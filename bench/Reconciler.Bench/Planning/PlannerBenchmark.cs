using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Planning;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Bench.Planning;

/// <summary>
/// The pure planner on the host: 10,000 services x 10 real servers against an identical observed state (the
/// no-op every periodic reconcile pays; target under 50 ms) and against one with 1% of the real servers changed.
/// Also timed apart: the desired state built from a topology (what the agent does before each plan), the
/// fingerprint of the observed state, and the bytes allocated per call.
/// </summary>
internal sealed class PlannerBenchmark : IBenchmark
{
    public string Name => "planner";

    public string Description => "plan 10,000 services x 10 real servers: no-op and 1% changed (host; target no-op < 50 ms)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var services = Option(arguments, "--services", 10_000);
        var runs = Option(arguments, "--runs", 15);
        var topology = Topology(services, 10);
        var desired = DesiredStateBuilder.Build(topology, "lb1", RuntimeOverlay.None);
        var identical = Observe(desired, changeEvery: 0);
        var changed = Observe(desired, changeEvery: 100);
        var record = new OwnershipRecord(desired.Services.Select(s => new OwnedService(s.Service, s.Destinations.Select(d => new OwnedDestination(d.Destination)).ToList())).ToList(), []);
        var options = PlannerOptions.At(DateTimeOffset.UnixEpoch);

        var noop = Measure(runs, () => Planner.Create(desired, identical, record, options).Steps.Count, expected: 0);
        var onePercent = Measure(runs, () => Planner.Create(desired, changed, record, options).Steps.Count, expected: services * 10 / 100);
        var fingerprint = Measure(runs, () => ObservedFingerprint.Of(identical).Length, expected: 71);
        var build = Measure(runs, () => DesiredStateBuilder.Build(topology, "lb1", RuntimeOverlay.None).Services.Count, expected: services);
        var buildAndPlan = Measure(
            runs,
            () => Planner.Create(DesiredStateBuilder.Build(topology, "lb1", RuntimeOverlay.None), identical, record, options).Steps.Count,
            expected: 0);

        return new BenchmarkReport(
            Name,
            $"{services:N0} services x 10 real servers, {runs} runs after a warm-up, inputs built beforehand; allocated per call: "
                + $"no-op plan {Megabytes(noop)}, 1% plan {Megabytes(onePercent)}, fingerprint {Megabytes(fingerprint)}, desired state {Megabytes(build)}",
            [
                BenchmarkRow.From("plan, no changes", noop.Seconds),
                BenchmarkRow.From("plan, 1% of real servers changed", onePercent.Seconds),
                BenchmarkRow.From("  of which: fingerprint of the observed state", fingerprint.Seconds),
                BenchmarkRow.From("desired state from the topology", build.Seconds),
                BenchmarkRow.From("desired state + plan, no changes", buildAndPlan.Seconds),
            ],
            [new BenchmarkRatio("no-op plan seconds vs 50 ms budget", noop.Seconds.Order().ElementAt(noop.Seconds.Count / 2) / 0.050, 1.0)]);
    }

    private static string Megabytes(Measurement measurement) =>
        (measurement.AllocatedBytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Times each run after a warm-up (compilation, the ownership record's index); the bytes allocated are
    /// those of one more run (they do not vary from run to run).</summary>
    private static Measurement Measure(int runs, Func<int> run, int expected)
    {
        Check(run(), expected);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Check(run(), expected);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var seconds = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = run();
            seconds.Add(watch.Elapsed.TotalSeconds);
            Check(result, expected);
        }

        return new Measurement(seconds, allocated);
    }

    private static void Check(int result, int expected)
    {
        if (result != expected)
        {
            throw new InvalidOperationException($"expected {expected}, got {result}");
        }
    }

    /// <summary>TCP services on 10.1.x.y, LVS-DR wrr, real servers 10.2.r.y:80 at weight 1 + r.</summary>
    private static TopologyModel Topology(int services, int perService)
    {
        var list = new List<VirtualService>(services);
        for (var i = 0; i < services; i++)
        {
            var address = new IPAddress([10, 1, (byte)(i / 250), (byte)(i % 250 + 1)]);
            var realServers = Enumerable.Range(0, perService)
                .Select(r => new RealServer(new IPAddress([10, 2, (byte)r, (byte)(i % 250 + 1)]), 80, 1 + r, 0, 0, null, null))
                .ToValueList();
            list.Add(new VirtualService("s" + i.ToString(CultureInfo.InvariantCulture), address, 80 + i / 62500, Protocol.Tcp, null, AddressFamily.InterNetwork,
                "wrr", [], Forwarding.DirectRouting, null, null, false, null, null, false, null, null, realServers));
        }

        return new TopologyModel([], [], [], list.ToValueList());
    }

    /// <summary>What the kernel would list: the same settings in objects of their own, as a netlink dump decodes them
    /// (sharing the desired objects would let record equality stop at reference equality).</summary>
    private static ObservedState Observe(DesiredState desired, int changeEvery)
    {
        var counter = 0;
        return new ObservedState(
            desired.Services.Select(s => new ServiceWithDestinations(
                new ServiceEntry(Copy(s.Service), IpvsStats.Zero),
                s.Destinations.Select(d => new DestinationEntry(
                    changeEvery > 0 && counter++ % changeEvery == 0 ? Copy(d.Destination) with { Weight = d.Destination.Weight + 1 } : Copy(d.Destination),
                    0, 0, 0, IpvsStats.Zero)).ToList())).ToList(),
            []);
    }

    private static IpvsService Copy(IpvsService service) => service with
    {
        Key = ServiceKey.ForAddress(service.Key.Protocol, Copy(service.Key.Address!), service.Key.Port),
        Scheduler = new string(service.Scheduler),
    };

    private static IpvsDestination Copy(IpvsDestination destination) => destination with { Address = Copy(destination.Address) };

    private static IPAddress Copy(IPAddress address) => new(address.GetAddressBytes());

    private static int Option(IReadOnlyList<string> arguments, string name, int fallback)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Measurement(List<double> Seconds, long AllocatedBytes);
}
