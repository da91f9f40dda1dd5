using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Reconciler.Bench.Vrrp;

/// <summary>
/// Failover on a hard kill, ours vs keepalived 2.2.7, in the kernel lab guest: two nodes on a bridge, the backup
/// (priority 100) keeps running while a master (priority 150, same implementation) is started, preempts, and is
/// SIGKILLed half an advert interval after one of its adverts (timed from tcpdump's capture of that advert, so the
/// phase is the same for both implementations). Per run, from tcpdump on the bridge: the kill to the new master's first
/// advert (the takeover), the dead master's last advert to that first advert (the backup's master down interval as
/// kept, protocol 3 x advert + skew), the kill to the new master's first gratuitous ARP for the VIP; and, as before,
/// the kill to the backup's MASTER log line. That last one is not like for like: keepalived logs "Entering MASTER
/// STATE" right after its first advert, our driver prints its line when the transition is reported, after the VIP is
/// added and the first GARPs are out (the order the agent needs: reconcile once the VIP is there).
/// Settings: VRRPv2 advert 1 s and VRRPv3 advert 100 ms. Options: --runs N (default 10), --only ours|keepalived,
/// --only-version 2|3. Needs tests/Reconciler.VrrpDriver built (or VRRP_DRIVER set) and root in a guest with keepalived
/// and tcpdump.
/// </summary>
internal sealed class VrrpFailoverBenchmark : IBenchmark
{
    private const string OldMaster = "10.78.0.1";
    private const string NewMaster = "10.78.0.2";
    private const string Vip = "10.78.0.100";

    public string Name => "vrrp";

    public string Description => "VRRP failover on a hard kill, ours vs keepalived (v2 1 s, v3 100 ms), timed on the wire; run in the lab guest";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        int runs = Option(arguments, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 10;
        string? only = Option(arguments, "--only");
        string? onlyVersion = Option(arguments, "--only-version");
        var rows = new List<BenchmarkRow>();
        var medians = new Dictionary<string, double>();
        foreach (var (version, advert) in new[] { (2, 1.0), (3, 0.1) })
        {
            if (onlyVersion is not null && onlyVersion != version.ToString(CultureInfo.InvariantCulture))
            {
                continue;
            }

            foreach (var kind in new[] { "ours", "keepalived" })
            {
                if (only is not null && only != kind)
                {
                    continue;
                }

                var samples = Measure(kind, version, advert, runs);
                string prefix = $"{kind} v{version} {advert.ToString(CultureInfo.InvariantCulture)} s";
                foreach (var (what, values) in new[]
                {
                    ("kill -> first advert", samples.Select(s => s.FirstAdvert).ToList()),
                    ("last advert -> first advert", samples.Select(s => s.MasterDown).ToList()),
                    ("kill -> first GARP", samples.Select(s => s.FirstGarp).ToList()),
                    ("kill -> MASTER log line", samples.Select(s => s.LogLine).ToList()),
                })
                {
                    var row = BenchmarkRow.From($"{prefix}: {what}", values);
                    rows.Add(row);
                    medians[$"{kind}{version} {what}"] = row.MedianSeconds;
                    Console.Error.WriteLine($"{row.Operation}: median {row.MedianSeconds:0.000} s, min {row.MinSeconds:0.000} s, samples {string.Join(' ', values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))}");
                }
            }
        }

        var ratios = new List<BenchmarkRatio>();
        foreach (var version in new[] { 2, 3 })
        {
            foreach (var what in new[] { "kill -> first advert", "last advert -> first advert", "kill -> first GARP", "kill -> MASTER log line" })
            {
                if (medians.TryGetValue($"ours{version} {what}", out var ours) && medians.TryGetValue($"keepalived{version} {what}", out var keepalived))
                {
                    ratios.Add(new BenchmarkRatio($"v{version} {what} ours / keepalived", ours / keepalived, 1.0));
                }
            }
        }

        if (medians.TryGetValue("ours3 kill -> first advert", out var fast))
        {
            ratios.Add(new BenchmarkRatio("v3 100 ms takeover ours (s, target < 1 s)", fast, 1.0));
        }

        return new BenchmarkReport("vrrp", $"hard-kill takeover timed on the wire, {runs} runs each, software-emulated guest", rows, ratios);
    }

    private sealed record Sample(double FirstAdvert, double MasterDown, double FirstGarp, double LogLine);

    private static List<Sample> Measure(string kind, int version, double advert, int runs)
    {
        string prefix = "vb" + Guid.NewGuid().ToString("N")[..6];
        string bridge = prefix + "br";
        string n1 = prefix + "n1";
        string n2 = prefix + "n2";
        var samples = new List<Sample>();
        var cleanup = new List<string>();
        try
        {
            foreach (var space in new[] { bridge, n1, n2 })
            {
                Run("ip", "netns", "add", space);
                cleanup.Add(space);
            }

            Batch(bridge, "link set lo up\nlink add br0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0\nlink set br0 up\n" +
                $"link add p1 type veth peer name eth0 netns {n1}\nlink set p1 master br0\nlink set p1 up\n" +
                $"link add p2 type veth peer name eth0 netns {n2}\nlink set p2 master br0\nlink set p2 up\n");
            Batch(n1, $"link set lo up\naddr add {OldMaster}/24 dev eth0\nlink set eth0 up\n");
            Batch(n2, $"link set lo up\naddr add {NewMaster}/24 dev eth0\nlink set eth0 up\n");

            using var wire = new WireCapture(bridge, "br0");
            using var backup = Node.Start(kind, n2, 2, 100, version, advert);
            backup.WaitFor("MASTER", TimeSpan.FromSeconds(120), DateTimeOffset.MinValue);
            var interval = TimeSpan.FromSeconds(advert);
            for (int i = 0; i < runs; i++)
            {
                var started = DateTimeOffset.UtcNow;
                using var master = Node.Start(kind, n1, 1, 150, version, advert);
                master.WaitFor("MASTER", TimeSpan.FromSeconds(120), started);
                backup.WaitFor("BACKUP", TimeSpan.FromSeconds(30), started);
                Thread.Sleep(TimeSpan.FromSeconds(Math.Max(1, 3 * advert)));

                // Kill half an interval after one of the master's adverts as captured on the wire: the same phase for
                // both implementations (otherwise the phase, not the implementation, decides: up to a whole interval).
                var seen = wire.WaitFor(p => p.IsVrrp && p.Source == OldMaster && p.Priority == 150, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), "master advert");
                var killAt = seen.At + (interval / 2);
                while (killAt < DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(20))
                {
                    seen = wire.WaitFor(p => p.IsVrrp && p.Source == OldMaster && p.Priority == 150, seen.At, TimeSpan.FromSeconds(10), "master advert");
                    killAt = seen.At + (interval / 2);
                }

                var wait = killAt - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }

                var killed = DateTimeOffset.UtcNow;
                master.HardKill();
                var logged = backup.WaitFor("MASTER", TimeSpan.FromSeconds(30), killed);
                var first = wire.WaitFor(p => p.IsVrrp && p.Source == NewMaster && p.Priority == 100, killed, TimeSpan.FromSeconds(30), "new master advert");
                // After the new master's first advert: a GARP burst of the dying master (its repeat after 5 s) can
                // be on the wire just after the kill.
                var garp = wire.WaitFor(p => p.IsGratuitousArp && p.Source == Vip, first.At, TimeSpan.FromSeconds(30), "gratuitous ARP");
                var last = wire.LastBefore(p => p.IsVrrp && p.Source == OldMaster, killed + TimeSpan.FromMilliseconds(5))
                    ?? throw new InvalidOperationException("no advert of the killed master captured");
                samples.Add(new Sample((first.At - killed).TotalSeconds, (first.At - last.At).TotalSeconds, (garp.At - killed).TotalSeconds, (logged - killed).TotalSeconds));
                Run("ip", "-n", n1, "addr", "flush", "dev", "eth0", "to", Vip + "/32");
            }
        }
        finally
        {
            foreach (var space in Enumerable.Reverse(cleanup))
            {
                Run("ip", "netns", "del", space);
            }
        }

        return samples;
    }

    private static string? Option(IReadOnlyList<string> arguments, string name)
    {
        for (int i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == name)
            {
                return arguments[i + 1];
            }
        }

        return null;
    }

    private static void Batch(string space, string commands)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-n", space, "-batch", "-" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(commands);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip -batch in {space} failed");
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    /// <summary>
    /// One VRRP process (ours: the driver; keepalived: -P -n -l --dont-respawn, so that a hard kill stays one) whose
    /// state lines are timestamped as they arrive.
    /// </summary>
    private sealed class Node : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _lines = new();
        private readonly string? _directory;
        private readonly string _kind;

        private Node(Process process, string kind, string? directory)
        {
            _process = process;
            _kind = kind;
            _directory = directory;
        }

        public static Node Start(string kind, string space, int number, int priority, int version, double advert)
        {
            string advertText = advert.ToString(CultureInfo.InvariantCulture);
            string? directory = null;
            List<string> command;
            if (kind == "ours")
            {
                command = ["dotnet", DriverPath(), "--iface", "eth0", "--vrid", "61", "--version", version.ToString(CultureInfo.InvariantCulture),
                    "--advert", advertText, "--priority", priority.ToString(CultureInfo.InvariantCulture),
                    "--primary", $"10.78.0.{number}", "--vip", Vip + "/24"];
            }
            else
            {
                directory = Directory.CreateTempSubdirectory("ka-bench-").FullName;
                string config = Path.Combine(directory, "keepalived.conf");
                File.WriteAllText(config, $$"""
                    global_defs {
                        router_id {{space}}
                    }
                    vrrp_instance VI_1 {
                        state BACKUP
                        interface eth0
                        version {{version}}
                        virtual_router_id 61
                        priority {{priority}}
                        advert_int {{advertText}}
                        virtual_ipaddress {
                            10.78.0.100/24 dev eth0
                        }
                    }

                    """);
                command = ["keepalived", "-P", "-n", "-l", "-D", "--dont-respawn", "-f", config, "-p", Path.Combine(directory, "k.pid"),
                    "-r", Path.Combine(directory, "v.pid"), "-i", space];
            }

            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in (string[])["netns", "exec", space, .. command])
            {
                start.ArgumentList.Add(a);
            }

            var process = Process.Start(start)!;
            var node = new Node(process, kind, directory);
            process.StandardInput.Close();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { node._lines.Enqueue((DateTimeOffset.UtcNow, e.Data)); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { node._lines.Enqueue((DateTimeOffset.UtcNow, e.Data)); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return node;
        }

        public DateTimeOffset WaitFor(string state, TimeSpan timeout, DateTimeOffset since)
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (DateTimeOffset.UtcNow < deadline)
            {
                foreach (var (at, line) in _lines)
                {
                    if (at >= since && Matches(line, state))
                    {
                        return at;
                    }
                }

                Thread.Sleep(5);
            }

            throw new TimeoutException($"{_kind}: no {state} within {timeout}: {string.Join('\n', _lines.Select(l => l.Line))}");
        }

        public void HardKill()
        {
            if (_directory is not null && File.Exists(Path.Combine(_directory, "v.pid")))
            {
                // Killed from here, not by a kill process: its start would be measured.
                try
                {
                    using var child = Process.GetProcessById(int.Parse(File.ReadAllText(Path.Combine(_directory, "v.pid")).Trim(), CultureInfo.InvariantCulture));
                    child.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
                {
                }
            }

            try
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        public void Dispose()
        {
            HardKill();
            _process.Dispose();
            if (_directory is not null)
            {
                Directory.Delete(_directory, recursive: true);
            }
        }

        private bool Matches(string line, string state) => _kind == "ours"
            ? line.StartsWith("STATE ", StringComparison.Ordinal) && line.Split(' ')[2].Equals(state, StringComparison.OrdinalIgnoreCase)
            : line.Contains($"Entering {state} STATE", StringComparison.Ordinal);

        private static string DriverPath()
        {
            var configured = Environment.GetEnvironmentVariable("VRRP_DRIVER");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                // The configuration this program was built in first (run-all builds Release), then the other.
                string[] configurations = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? ["Release", "Debug"] : ["Debug", "Release"];
                foreach (var configuration in configurations)
                {
                    var candidate = Path.Combine(directory.FullName, "tests", "Reconciler.VrrpDriver", "bin", configuration, "net10.0", "Reconciler.VrrpDriver.dll");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            throw new FileNotFoundException("build tests/Reconciler.VrrpDriver or set VRRP_DRIVER");
        }
    }
}
