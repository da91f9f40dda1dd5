using System.Diagnostics;
using System.Globalization;
using Reconciler.Bench.Lab;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;

namespace Reconciler.Bench.Ipvs;

/// <summary>
/// Cold apply at two sizes (lab guest): a whole table applied to an empty namespace through our pipelined netlink
/// client, against <c>ipvsadm -R</c> restoring the same table (its process, start to exit, as a caller pays it).
/// Sizes 1,000 x 10 and 10,000 x 10 by default; each run of each side starts from an empty table and is checked.
/// Option: --sizes SERVICES:RUNS,... (default 1000:3,10000:1).
/// </summary>
internal sealed class ColdApplyBenchmark : IBenchmark
{
    private const int PerService = 10;

    public string Name => "cold";

    public string Description => "cold apply of 1,000 x 10 and 10,000 x 10 from empty: ours (pipelined netlink) vs ipvsadm -R (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var sizes = (Options.Text(arguments, "--sizes") ?? "1000:3,10000:1")
            .Split(',')
            .Select(s => s.Split(':'))
            .Select(p => (Services: int.Parse(p[0], CultureInfo.InvariantCulture), Runs: p.Length > 1 ? int.Parse(p[1], CultureInfo.InvariantCulture) : 1))
            .ToList();

        using var space = new BenchNamespace();
        using var client = IpvsNetlinkClient.Open(space.Path);
        client.Execute(IpvsBenchmark.Creating(IpvsBenchmark.Table(50, PerService)));
        _ = client.GetAll();
        client.Flush();

        var rows = new List<BenchmarkRow>();
        var ratios = new List<BenchmarkRatio>();
        foreach (var (services, runs) in sizes)
        {
            var table = IpvsBenchmark.Table(services, PerService);
            var operations = IpvsBenchmark.Creating(table);
            var rules = IpvsadmFormat.Save(table);
            var ours = new List<double>();
            var ipvsadm = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                var results = client.Execute(operations);
                ours.Add(clock.Elapsed.TotalSeconds);
                if (results.FirstOrDefault(r => r.Error is not null) is { } failed)
                {
                    throw new InvalidOperationException($"apply failed: {failed.Error!.Message}");
                }

                Verify(client, table);
                client.Flush();

                var (_, seconds) = space.TimeIpvsadm(rules, "-R");
                ipvsadm.Add(seconds);
                Verify(client, table);
                client.Flush();
                Console.Error.WriteLine($"cold {services} x {PerService}, run {run + 1}/{runs}: ours {ours[^1]:0.000} s, ipvsadm -R {seconds:0.000} s");
            }

            var size = string.Create(CultureInfo.InvariantCulture, $"{services:N0} x {PerService} ({operations.Count:N0} rules)");
            var oursRow = BenchmarkRow.From($"cold apply {size}: ours, pipelined netlink", ours);
            var ipvsadmRow = BenchmarkRow.From($"cold apply {size}: ipvsadm -R", ipvsadm);
            rows.Add(oursRow);
            rows.Add(ipvsadmRow);
            ratios.Add(new BenchmarkRatio($"cold apply {services:N0} x {PerService}: ours / ipvsadm -R", oursRow.MedianSeconds / ipvsadmRow.MedianSeconds, 0.5));
        }

        return new BenchmarkReport(
            Name,
            string.Create(CultureInfo.InvariantCulture,
                $"sizes {string.Join(", ", sizes.Select(s => $"{s.Services:N0} x {PerService} ({s.Runs} run{(s.Runs == 1 ? "" : "s")})"))}, {Environment.ProcessorCount} CPUs; from an empty table each run; ours: the call only, client warm; ipvsadm: its process, start to exit"),
            rows,
            ratios);
    }

    /// <summary>Every service there with all its real servers: the service count from a service dump, real servers
    /// counted on every hundredth service and the last.</summary>
    private static void Verify(IpvsNetlinkClient client, List<ServiceWithDestinations> table)
    {
        var services = client.GetServices().Count;
        var sampled = table.Where((_, i) => i % 100 == 0 || i == table.Count - 1).ToList();
        if (services != table.Count || sampled.Any(s => client.GetDestinations(s.Service.Key).Count != s.Destinations.Count))
        {
            throw new InvalidOperationException($"the kernel holds {services} services, expected {table.Count} x {PerService}");
        }
    }
}
