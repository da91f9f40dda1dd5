using System.Diagnostics;
using System.Globalization;
using System.Net;
using Reconciler.Bench.Lab;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;

namespace Reconciler.Bench.Agent;

/// <summary>
/// Commit-to-applied latency of the real agent (lab guest): one namespace (lb1, 10.0.0.1 on a dummy link) holding
/// <c>git daemon</c> on 127.0.0.1 and <c>reconciler agent --poll-interval 1s</c>; after the first apply, N commits each
/// change one real server's weight. A sample runs from the end of the push to the moment the kernel holds the new
/// weight (read over netlink every 10 ms, no process per look; then confirmed with <c>ipvsadm -Sn</c>). Each commit
/// waits a random part of the poll interval first, so the samples cover every phase of the poll cycle. The anchor is
/// the agent's target, poll interval + 1 s. Options: --commits N (default 10), --poll-interval SECONDS (default 1).
/// </summary>
internal sealed class CommitLatencyBenchmark : IBenchmark
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.120"), 80);

    public string Name => "commit";

    public string Description => "commit-to-applied latency of the agent (git daemon, poll 1 s), weight commits timed to the kernel (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var commits = Options.Int(arguments, "--commits", 10);
        var poll = Options.Int(arguments, "--poll-interval", 1);
        var work = Directory.CreateTempSubdirectory("bench-commit-").FullName;
        using var space = new LabNamespace("bcommit");
        var repository = new TopologyRepository(work);
        repository.Commit(Topology(1), "web: real server at weight 1");
        using var daemon = repository.Serve(space, LabLogs.File(work, "commit-git-daemon.log"));
        using var agent = AgentProcess.Start(space, Path.Combine(work, "state"), poll.ToString(CultureInfo.InvariantCulture) + "s", LabLogs.File(work, "commit-agent.log"));
        var healthy = AgentProcess.WaitHealthy(space, agent, TimeSpan.FromMinutes(10));
        using var client = IpvsNetlinkClient.Open(space.Path);
        var firstApply = WaitForWeight(client, 1, agent.Clock, TimeSpan.FromMinutes(10), agent, TimeSpan.FromMilliseconds(100));
        Console.Error.WriteLine($"commit: agent healthy after {healthy:0.0} s, first commit applied after {firstApply:0.0} s");

        var random = new Random(9);
        var latencies = new List<double>();
        var pushes = new List<double>();
        for (var i = 0; i < commits; i++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(random.NextDouble() * poll));
            var weight = 2 + i;
            pushes.Add(repository.Commit(Topology(weight), $"web: real server at weight {weight}"));
            var clock = Stopwatch.StartNew();
            var latency = WaitForWeight(client, weight, clock, TimeSpan.FromSeconds(120), agent, TimeSpan.FromMilliseconds(10));
            latencies.Add(latency);
            if (!space.Run("ipvsadm", "-Sn").Output.Contains($"-r 10.0.0.3:80 -m -w {weight}\n", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ipvsadm -Sn does not show weight {weight}");
            }

            Console.Error.WriteLine($"commit {i + 1}/{commits}: weight {weight} applied {latency:0.000} s after the push");
        }

        var sorted = latencies.Order().ToArray();
        var applied = BenchmarkRow.From("commit -> applied (push done -> kernel weight)", latencies);
        var target = poll + 1.0;
        return new BenchmarkReport(
            Name,
            $"reconciler agent, git daemon on 127.0.0.1 in the node's namespace, poll interval {poll} s, {commits} weight commits, each after a random part of the poll interval; time from the end of the push to the weight in the kernel",
            [applied, BenchmarkRow.From("git commit + push (the checkout's side)", pushes)],
            [new BenchmarkRatio($"commit -> applied p90 / (poll interval + 1 s)", Percentile(sorted, 0.9) / target, 1.0)])
        {
            Figures =
            [
                new BenchmarkFigure("commit -> applied median", applied.MedianSeconds, "s"),
                new BenchmarkFigure("commit -> applied p90", Percentile(sorted, 0.9), "s"),
                new BenchmarkFigure("commit -> applied max", sorted[^1], "s"),
                new BenchmarkFigure("poll interval", poll, "s"),
                new BenchmarkFigure("target (poll interval + 1 s)", target, "s"),
                new BenchmarkFigure("agent start -> first commit applied", firstApply, "s"),
                new BenchmarkFigure("commits", commits, "commits"),
            ],
        };
    }

    /// <summary>Nearest-rank percentile of sorted samples (the median of the rows is sorted[n / 2], as everywhere here).</summary>
    internal static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Waits (at most <paramref name="timeout"/> from now) for the kernel to hold <paramref name="weight"/>;
    /// returns the seconds on <paramref name="clock"/> when it first did.</summary>
    private static double WaitForWeight(IpvsNetlinkClient client, int weight, Stopwatch clock, TimeSpan timeout, LabProcess agent, TimeSpan every)
    {
        var deadline = clock.Elapsed + timeout;
        while (clock.Elapsed < deadline)
        {
            if (client.GetService(Web) is not null && client.GetDestinations(Web) is [var only] && only.Destination.Weight == weight)
            {
                return clock.Elapsed.TotalSeconds;
            }

            agent.ThrowIfExited();
            Thread.Sleep(every);
        }

        throw new TimeoutException($"weight {weight} not applied within {timeout.TotalSeconds:0} s; end of {agent.Log}:\n{LabProcess.Tail(agent.Log, 20)}");
    }

    private static string Topology(int weight) => $"""
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
        services:
          - name: web
            address: 10.0.0.120
            port: 80
            scheduler: wrr
            forwarding: nat
            realServers:
              - address: 10.0.0.3
                port: 80
                weight: {weight}

        """;
}
