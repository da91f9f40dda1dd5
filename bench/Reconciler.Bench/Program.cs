using Reconciler.Bench;
using Reconciler.Bench.Agent;
using Reconciler.Bench.Commands;
using Reconciler.Bench.Failover;
using Reconciler.Bench.Health;
using Reconciler.Bench.Ipvs;
using Reconciler.Bench.Planning;
using Reconciler.Bench.Report;
using Reconciler.Bench.Vrrp;

IBenchmark[] benchmarks = [new IpvsBenchmark(), new PlannerBenchmark(), new HealthCheckBenchmark(), new VrrpFailoverBenchmark(), new ReconcileBenchmark(),
    new ColdApplyBenchmark(), new CommitLatencyBenchmark(), new AgentMemoryBenchmark(), new AgentStartBenchmark(), new StatefulFailoverBenchmark(),
    new WholeCommandBenchmark(), new CliBenchmark(), new RetainedMemoryBenchmark()];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("usage: Reconciler.Bench BENCHMARK [--out DIR] [options]\n");
    foreach (var benchmark in benchmarks)
    {
        Console.WriteLine($"  {benchmark.Name,-10} {benchmark.Description}");
    }

    Console.WriteLine($"  {"report",-10} {ReportCommand.Description}");

    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "report")
{
    return ReportCommand.Run(args.Skip(1).ToList());
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; try --help");
    return 2;
}

var rest = args.Skip(1).ToList();
string output = "bench-results";
int outIndex = rest.IndexOf("--out");
if (outIndex >= 0 && outIndex + 1 < rest.Count)
{
    output = rest[outIndex + 1];
    rest.RemoveRange(outIndex, 2);
}

var report = chosen.Run(rest);
Console.Write(report.ToTable());
report.WriteJson(output);
Console.WriteLine($"\nwrote {Path.Combine(output, report.Name + ".json")}");
return 0;
