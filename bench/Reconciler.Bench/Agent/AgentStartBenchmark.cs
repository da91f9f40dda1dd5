using System.Globalization;
using System.Text.RegularExpressions;
using Reconciler.Bench.Lab;
using Reconciler.Bench.Vrrp;

namespace Reconciler.Bench.Agent;

/// <summary>
/// Start to the first VRRP advert as MASTER on the seed's topology, the agent against keepalived (lab guest). One
/// director, lb1 (192.168.1.104 on <c>eno16777736</c>, a veth whose other end sits in a namespace of its own, the
/// switch port), and no peer: each implementation starts, waits its master down interval (3 x advert 1 s + skew) and
/// becomes MASTER. Ours: <c>reconciler agent</c> following examples/seed/topology.yaml from git (git daemon on
/// 127.0.0.1 in the director's namespace), twice per run: a first start (a fresh state folder: it clones, then
/// validates) and a restart over the state that start left (what a reboot or an upgrade is: the kept revision goes in
/// force from the state folder while the repository is asked for newer); keepalived:
/// examples/seed/lb1.keepalived.conf, the file that topology was imported from, with <c>keepalived -n -l</c>. In both
/// the seed's tracked script (a path that does not exist here, and whose failure path kills keepalived) is replaced by
/// <c>/usr/bin/true</c>: nginx up, as on a healthy lb1. A run is timed from just before the process is started (bash
/// and <c>ip netns exec</c>, which both exec, included for both) to the director's first advert as tcpdump captured it
/// on the director's link. A fresh pair of namespaces per run; runs alternate ours, keepalived. For ours, the phases
/// on the way come from its log (UTC, millisecond stamps). Options: --runs N (default 5, each).
/// The target (<= 1.2x keepalived) is the restart's: keepalived's start reads its configuration from disk too.
/// </summary>
internal sealed partial class AgentStartBenchmark : IBenchmark
{
    private const string Interface = "eno16777736";
    private const string Address = "192.168.1.104";
    private const string SeedScript = "/usr/local/etc/keepalived/script/monitor_nginx.sh";
    private const string HealthyScript = "/usr/bin/true";

    /// <summary>The seed's advert interval (<c>advert_int 1</c>; the topology leaves the default, also 1 s).</summary>
    private const double AdvertSeconds = 1.0;

    /// <summary>lb1's priority in the seed; the master down interval's skew is (256 - priority) / 256 s (VRRPv2).</summary>
    private const int Priority = 100;

    private static readonly TimeSpan AdvertTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The agent's log lines that mark its phases, in the order they come.</summary>
    private static readonly (string Name, string Marker)[] Phases =
    [
        ("service running", "Agent for node lb1"),
        ("first commit fetched and validated", "New commit "),
        ("VRRP started (topology in force)", "is now in force"),
        ("BACKUP (master down timer running)", "VRRP VI_1: Initialize -> Backup"),
    ];

    /// <summary>The same for a restart: the kept revision is restored instead of fetched.</summary>
    private static readonly (string Name, string Marker)[] RestartPhases =
    [
        ("service running", "Agent for node lb1"),
        ("kept commit restored", "Restored commit "),
        ("VRRP started (topology in force)", "is now in force"),
        ("BACKUP (master down timer running)", "VRRP VI_1: Initialize -> Backup"),
    ];

    public string Name => "start";

    public string Description => "start to the first VRRP advert as MASTER on the seed's topology (lb1, advert 1 s, no peer), ours vs keepalived, on the wire (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var runs = Options.Int(arguments, "--runs", 5);
        var work = Directory.CreateTempSubdirectory("bench-start-").FullName;
        var repository = new TopologyRepository(Path.Combine(work, "repository"));
        repository.Commit(SeedFile("topology.yaml", SeedScript, HealthyScript), "the seed's topology: lb1 MASTER of VIP 192.168.1.120");
        var keepalivedConfig = Path.Combine(work, "keepalived.conf");
        File.WriteAllText(keepalivedConfig, SeedFile("lb1.keepalived.conf", $"\"{SeedScript}\"", $"\"{HealthyScript}\""));

        var ours = new List<OursSample>();
        var restarts = new List<OursSample>();
        var keepalived = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var state = Path.Combine(work, $"state-{run}");
            ours.Add(Ours(repository, work, state, $"{run}", Phases));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"start {run}/{runs}: ours first advert {ours[^1].FirstAdvert:0.000} s ({string.Join(", ", ours[^1].Phases.Select(p => $"{p.Key} {p.Value:0.000} s"))})"));
            restarts.Add(Ours(repository, work, state, $"{run}-restart", RestartPhases));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"start {run}/{runs}: ours restarted, first advert {restarts[^1].FirstAdvert:0.000} s ({string.Join(", ", restarts[^1].Phases.Select(p => $"{p.Key} {p.Value:0.000} s"))})"));
            keepalived.Add(Keepalived(keepalivedConfig, work, run));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start {run}/{runs}: keepalived first advert {keepalived[^1]:0.000} s"));
        }

        var oursRow = BenchmarkRow.From("ours: exec -> first advert as MASTER", ours.Select(s => s.FirstAdvert).ToList());
        var restartRow = BenchmarkRow.From("ours restart: exec -> first advert as MASTER", restarts.Select(s => s.FirstAdvert).ToList());
        var keepalivedRow = BenchmarkRow.From("keepalived: exec -> first advert as MASTER", keepalived);
        var rows = new List<BenchmarkRow> { oursRow, restartRow, keepalivedRow };
        var figures = new List<BenchmarkFigure>
        {
            new("ours exec -> first advert median", oursRow.MedianSeconds, "s"),
            new("ours restart exec -> first advert median", restartRow.MedianSeconds, "s"),
            new("keepalived exec -> first advert median", keepalivedRow.MedianSeconds, "s"),
            new("advert interval", AdvertSeconds, "s"),
            new("master down interval (3 x advert + skew)", MasterDown, "s"),
        };

        AddPhases("ours", ours, Phases, rows, figures);
        AddPhases("ours restart", restarts, RestartPhases, rows, figures);

        if (ours.All(s => s.FirstCommitMilliseconds is not null))
        {
            var fetch = ours.Select(s => s.FirstCommitMilliseconds!.Value.Fetch).Order().ToArray();
            var evaluate = ours.Select(s => s.FirstCommitMilliseconds!.Value.Evaluate).Order().ToArray();
            figures.Add(new BenchmarkFigure("ours first fetch (as the agent logs it)", fetch[fetch.Length / 2], "ms"));
            figures.Add(new BenchmarkFigure("ours first commit evaluated (as the agent logs it)", evaluate[evaluate.Length / 2], "ms"));
        }

        figures.Add(new BenchmarkFigure("runs", runs, "runs"));
        return new BenchmarkReport(
            Name,
            string.Create(CultureInfo.InvariantCulture,
                $"the seed's lb1 alone (no peer), advert {AdvertSeconds:0} s, VRRPv2: from exec to its first advert on the wire; ours from git (a first start with a fresh state folder, then a restart over it), keepalived from lb1.keepalived.conf; {runs} runs each, alternating"),
            rows,
            [new BenchmarkRatio("exec -> first advert, ours restarted / keepalived", restartRow.MedianSeconds / keepalivedRow.MedianSeconds, 1.2)])
        {
            Figures = figures,
        };
    }

    /// <summary>The agent's phases, each where every run logged it (a phase some run did not log would make a median
    /// of fewer runs than the row says), and the master down wait after the last.</summary>
    private static void AddPhases(string who, List<OursSample> samples, (string Name, string Marker)[] phases, List<BenchmarkRow> rows, List<BenchmarkFigure> figures)
    {
        foreach (var (phase, _) in phases)
        {
            if (samples.All(s => s.Phases.ContainsKey(phase)))
            {
                var row = BenchmarkRow.From($"{who} phase: exec -> {phase}", samples.Select(s => s.Phases[phase]).ToList());
                rows.Add(row);
                figures.Add(new BenchmarkFigure($"{who} phase: exec -> {phase}", Math.Round(row.MedianSeconds, 3), "s"));
            }
        }

        if (samples.All(s => s.Phases.ContainsKey(phases[^1].Name)))
        {
            var wait = BenchmarkRow.From($"{who} phase: BACKUP -> first advert", samples.Select(s => s.FirstAdvert - s.Phases[phases[^1].Name]).ToList());
            rows.Add(wait);
            figures.Add(new BenchmarkFigure($"{who} phase: BACKUP -> first advert", Math.Round(wait.MedianSeconds, 3), "s"));
        }
    }

    /// <summary>3 x advert interval + (256 - priority) / 256 s: what both wait, at the least, without a master.</summary>
    private static double MasterDown => (3 * AdvertSeconds) + ((256 - Priority) / 256.0);

    private sealed record OursSample(double FirstAdvert, Dictionary<string, double> Phases, (double Fetch, double Evaluate)? FirstCommitMilliseconds);

    /// <summary>One start of the agent over <paramref name="state"/> (fresh: a first start; left by one: a restart).</summary>
    private static OursSample Ours(TopologyRepository repository, string work, string state, string label, (string Name, string Marker)[] phaseMarkers)
    {
        using var link = new DirectorLink();
        var director = link.Director;
        using var daemon = repository.Serve(director, LabLogs.File(work, $"start-git-daemon-{label}.log"));
        using var wire = new WireCapture(director.Name, Interface);
        var started = DateTimeOffset.UtcNow;
        using var agent = AgentProcess.Start(director, state, "2s", LabLogs.File(work, $"start-agent-{label}.log"));
        var first = WaitForAdvert(wire, started, agent);

        // The phases are read once the agent has logged its MASTER line: the console logger writes from a queue of
        // its own, so a line can reach the file after the advert it precedes.
        WaitForLogLine(agent, " -> Master", started);
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (phase, marker) in phaseMarkers)
        {
            if (AgentProcess.LogTime(agent.Log, marker, started.UtcDateTime) is { } at)
            {
                phases[phase] = at;
            }
        }

        return new OursSample((first.At - started).TotalSeconds, phases, FirstCommitMilliseconds(agent.Log));
    }

    private static double Keepalived(string config, string work, int run)
    {
        var directory = Path.Combine(work, $"keepalived-{run}");
        Directory.CreateDirectory(directory);
        using var link = new DirectorLink();
        var director = link.Director;
        using var wire = new WireCapture(director.Name, Interface);
        var started = DateTimeOffset.UtcNow;
        // Its own pid files: the defaults in /run would clash with any other keepalived's.
        using var keepalived = LabProcess.StartIn(director.Name, LabLogs.File(work, $"start-keepalived-{run}.log"), "keepalived", "-n", "-l", "-f", config,
            "-p", Path.Combine(directory, "keepalived.pid"), "-c", Path.Combine(directory, "checkers.pid"), "-r", Path.Combine(directory, "vrrp.pid"));
        return (WaitForAdvert(wire, started, keepalived).At - started).TotalSeconds;
    }

    /// <summary>The director's first advert with a priority above 0 (one as MASTER: a backup sends none) captured
    /// after <paramref name="started"/>; throws with the log's end if the process exits first.</summary>
    private static WirePacket WaitForAdvert(WireCapture wire, DateTimeOffset started, LabProcess process)
    {
        var deadline = DateTime.UtcNow + AdvertTimeout;
        while (true)
        {
            if (wire.FirstAfter(p => p.IsVrrp && p.Source == Address && p.Priority > 0, started) is { } advert)
            {
                if (advert.Priority != Priority)
                {
                    Console.Error.WriteLine($"start: first advert at priority {advert.Priority}, not {Priority} (the tracked script's weight counted?)");
                }

                return advert;
            }

            process.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no advert from {Address} within {AdvertTimeout.TotalSeconds:0} s; end of {process.Log}:\n{LabProcess.Tail(process.Log, 20)}");
            }

            Thread.Sleep(5);
        }
    }

    private static void WaitForLogLine(LabProcess process, string marker, DateTimeOffset started)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (AgentProcess.LogTime(process.Log, marker, started.UtcDateTime) is null)
        {
            process.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{marker}' in {process.Log} within 30 s:\n{LabProcess.Tail(process.Log, 20)}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>The times the agent logs with its first commit ("fetched in N ms, evaluated in M ms").</summary>
    private static (double Fetch, double Evaluate)? FirstCommitMilliseconds(string log) =>
        File.ReadLines(log).Select(line => FirstCommitRegex().Match(line)).FirstOrDefault(m => m.Success) is { } match
            ? (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    /// <summary>A file of examples/seed with the seed's tracked script swapped for one that works in the lab; throws
    /// if the file no longer holds it (the two sides must stay the same configuration).</summary>
    private static string SeedFile(string name, string seedText, string labText)
    {
        var path = Path.Combine(RepositoryRoot.Find(), "examples", "seed", name);
        var text = File.ReadAllText(path);
        return text.Contains(seedText, StringComparison.Ordinal)
            ? text.Replace(seedText, labText, StringComparison.Ordinal)
            : throw new InvalidOperationException($"{path} no longer holds {seedText}: update the start benchmark");
    }

    /// <summary>
    /// The director's namespace (lb1's address on <see cref="Interface"/>, a veth) and the namespace holding the veth's
    /// other end (the switch port); both ends up, carrier on, before either implementation starts: a link still coming
    /// up would put it in FAULT first, and the benchmark would time that, not the start. Disposing deletes both.
    /// </summary>
    private sealed class DirectorLink : IDisposable
    {
        private readonly LabNamespace _port;

        public DirectorLink()
        {
            Director = new LabNamespace("bstart");
            try
            {
                _port = new LabNamespace("bstartport", "10.255.0.1/16");
            }
            catch
            {
                Director.Dispose();
                throw;
            }

            try
            {
                Shell.Run("ip", null, "link", "add", Interface, "netns", Director.Name, "type", "veth", "peer", "name", "port0", "netns", _port.Name);
                Shell.Run("ip", "link set port0 up\n", "-n", _port.Name, "-batch", "-");
                // No default route: LabNamespace's goes into its dummy link, where a DNS query waits out the resolver's
                // timeouts (2 x 5 s) instead of failing at once. The seed's keepalived.conf sets smtp_server, so
                // keepalived looks up the guest's host name (not in /etc/hosts) at start, and was charged 10 s the
                // lab invented. The director needs no route beyond its link's /24 (its real servers are there).
                Shell.Run("ip", $"route del default\naddr add {Address}/24 dev {Interface}\nlink set {Interface} up\n", "-n", Director.Name, "-batch", "-");
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (!Director.Run("ip", "-o", "link", "show", Interface).Output.Contains("LOWER_UP", StringComparison.Ordinal))
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"{Interface} in {Director.Name} has no carrier after 30 s");
                    }

                    Thread.Sleep(20);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public LabNamespace Director { get; }

        public void Dispose()
        {
            Director.Dispose();
            _port.Dispose();
        }
    }

    [GeneratedRegex(@"New commit .*fetched in (\d+) ms, evaluated in (\d+) ms")]
    private static partial Regex FirstCommitRegex();
}
