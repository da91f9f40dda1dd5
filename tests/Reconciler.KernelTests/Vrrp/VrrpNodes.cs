using System.Globalization;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>What a VRRP test needs of a node, whoever implements VRRP on it.</summary>
public interface IVrrpNode : IDisposable
{
    string Space { get; }

    string Kind { get; }

    /// <summary>Waits until the node reports entering <paramref name="state"/> ("MASTER", "BACKUP") after <paramref name="since"/>; returns when.</summary>
    DateTimeOffset WaitState(string state, TimeSpan timeout, DateTimeOffset? since = null);

    /// <summary>Whether the node reported entering <paramref name="state"/> after <paramref name="since"/>.</summary>
    bool Entered(string state, DateTimeOffset since);

    /// <summary>The state the node last reported entering (upper case), or null.</summary>
    string? CurrentState { get; }

    /// <summary>SIGKILL: no priority 0, the VIP stays where it was.</summary>
    void HardKill();

    /// <summary>SIGTERM: a master sends priority 0 and drops the VIP.</summary>
    void Stop();
}

/// <summary>
/// Settings shared by both implementations. <paramref name="UnicastNodes"/>: the numbers of every node of the instance
/// (as the topology's <c>unicastPeers</c> lists them all); when given, each node sends unicast from 10.77.0.N to the
/// others (keepalived: <c>unicast_src_ip</c> and <c>unicast_peer</c>) instead of multicast.
/// </summary>
public sealed record VrrpSettings(int Version, double AdvertSeconds, int Vrid = 51, string Vip = "10.77.0.100/24", string? Password = null, bool NoPreempt = false,
    IReadOnlyList<int>? UnicastNodes = null)
{
    public IEnumerable<string> UnicastPeersOf(int number) =>
        (UnicastNodes ?? []).Where(n => n != number).Select(n => "10.77.0." + n.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Our VRRP (tests/Reconciler.VrrpDriver) in a namespace.</summary>
public sealed class OursNode : IVrrpNode
{
    private readonly LabProcess _process;

    public OursNode(string space, int number, int priority, VrrpSettings settings, string? statusFile = null, string primary = "")
        : this(space, Arguments(number, priority, settings, statusFile, primary))
    {
    }

    private OursNode(string space, List<string> arguments)
    {
        Space = space;
        _process = LabProcess.Start(space, "dotnet", [Driver.Path, .. arguments]);
    }

    private static List<string> Arguments(int number, int priority, VrrpSettings settings, string? statusFile, string primary)
    {
        string source = primary.Length > 0 ? primary : "10.77.0." + number.ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            "--iface", "eth0", "--vrid", settings.Vrid.ToString(CultureInfo.InvariantCulture),
            "--version", settings.Version.ToString(CultureInfo.InvariantCulture),
            "--advert", settings.AdvertSeconds.ToString(CultureInfo.InvariantCulture),
            "--priority", priority.ToString(CultureInfo.InvariantCulture), "--primary", source, "--vip", settings.Vip,
        };
        if (settings.Password is not null)
        {
            arguments.AddRange(["--auth", settings.Password]);
        }

        if (settings.NoPreempt)
        {
            arguments.Add("--nopreempt");
        }

        if (statusFile is not null)
        {
            arguments.AddRange(["--status", statusFile]);
        }

        foreach (var peer in settings.UnicastPeersOf(number))
        {
            arguments.AddRange(["--peer", peer]);
        }

        return arguments;
    }

    public string Space { get; }

    public string Kind => "ours";

    public LabProcess Process => _process;

    public DateTimeOffset WaitState(string state, TimeSpan timeout, DateTimeOffset? since = null) =>
        _process.WaitForLine(line => IsEntering(line, state), "STATE -> " + state, timeout, since);

    public bool Entered(string state, DateTimeOffset since) => _process.Lines.Any(l => l.At >= since && IsEntering(l.Line, state));

    public string? CurrentState => _process.Lines.Select(l => l.Line.Split(' ')).LastOrDefault(w => w.Length > 2 && w[0] == "STATE")?[2].ToUpperInvariant();

    public void HardKill() => _process.Kill();

    public void Stop() => _process.Terminate(TimeSpan.FromSeconds(20));

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// The driver's own timestamps (BOOT, STARTED, STATE) relative to <paramref name="since"/>, with when each line reached
    /// the test: separates process start, protocol time and output delivery when a step is slow.
    /// </summary>
    public string Timeline(DateTimeOffset since) => string.Join(", ", _process.Lines
        .Where(l => l.At >= since && (l.Line.StartsWith("BOOT ", StringComparison.Ordinal) || l.Line.StartsWith("STARTED ", StringComparison.Ordinal) || l.Line.StartsWith("STATE ", StringComparison.Ordinal)))
        .Select(l =>
        {
            var words = l.Line.Split(' ');
            long stamp = long.Parse(words[0] == "STATE" ? words[5] : words[1], CultureInfo.InvariantCulture);
            string what = words[0] == "STATE" ? words[2] : words[0] == "BOOT" ? "in Main" : "started";
            return string.Create(CultureInfo.InvariantCulture,
                $"{what} +{(stamp - since.ToUnixTimeMilliseconds()) / 1000.0:0.000} s (read +{(l.At - since).TotalSeconds:0.000} s)");
        }));

    private static bool IsEntering(string line, string state)
    {
        var words = line.Split(' ');
        return words.Length > 2 && words[0] == "STATE" && string.Equals(words[2], state, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>keepalived 2.2.7 (VRRP only, -P) in a namespace, with its own config, pid files, console log.</summary>
public sealed class KeepalivedNode : IVrrpNode
{
    private readonly LabProcess _process;
    private readonly string _directory;

    /// <param name="number">The node's number on the segment (10.77.0.N): needed for unicast (<c>unicast_src_ip</c>).</param>
    /// <param name="checkUnicastSource">keepalived's <c>vrrp_check_unicast_src</c> (its default is off): drop unicast adverts from non-peers.</param>
    public KeepalivedNode(string space, int priority, VrrpSettings settings, string initialState = "BACKUP", int number = 0, bool checkUnicastSource = false)
        : this(space, Configuration(space, priority, settings, initialState, number, checkUnicastSource))
    {
    }

    /// <summary>keepalived with a whole configuration written by the test (several instances, sync groups).</summary>
    public KeepalivedNode(string space, string configuration)
    {
        Space = space;
        _directory = Directory.CreateTempSubdirectory("ka-").FullName;
        ConfigPath = Path.Combine(_directory, "keepalived.conf");
        File.WriteAllText(ConfigPath, configuration);
        // --dont-respawn: a hard kill SIGKILLs the VRRP child, then the parent; a parent that respawned the child in
        // between would bring back a master (150) that pre-empts the backup which just took over.
        _process = LabProcess.Start(space, "keepalived", "-P", "-n", "-l", "-D", "--dont-respawn", "-f", ConfigPath,
            "-p", Path.Combine(_directory, "keepalived.pid"), "-r", Path.Combine(_directory, "vrrp.pid"),
            "-i", space);
    }

    private static string Configuration(string space, int priority, VrrpSettings settings, string initialState, int number, bool checkUnicastSource)
    {
        string unicast = "";
        if (settings.UnicastNodes is not null)
        {
            if (number == 0)
            {
                throw new ArgumentException("unicast needs the node's number", nameof(number));
            }

            unicast = $"    unicast_src_ip 10.77.0.{number.ToString(CultureInfo.InvariantCulture)}\n    unicast_peer {{\n"
                + string.Concat(settings.UnicastPeersOf(number).Select(p => $"        {p}\n")) + "    }\n";
        }

        string auth = settings.Password is null || settings.Version != 2
            ? ""
            : $"    authentication {{\n        auth_type PASS\n        auth_pass {settings.Password}\n    }}\n";
        return $$"""
            global_defs {
                router_id {{space}}
                vrrp_garp_master_delay 5
            {{(checkUnicastSource ? "    vrrp_check_unicast_src\n" : "")}}}
            vrrp_instance VI_1 {
                state {{initialState}}
                interface eth0
                version {{settings.Version}}
                virtual_router_id {{settings.Vrid}}
                priority {{priority}}
                advert_int {{settings.AdvertSeconds.ToString(CultureInfo.InvariantCulture)}}
            {{(settings.NoPreempt ? "    nopreempt\n" : "")}}{{auth}}{{unicast}}    virtual_ipaddress {
                    {{settings.Vip}} dev eth0
                }
            }

            """;
    }

    public string Space { get; }

    public string Kind => "keepalived";

    public string ConfigPath { get; }

    public LabProcess Process => _process;

    public DateTimeOffset WaitState(string state, TimeSpan timeout, DateTimeOffset? since = null) =>
        _process.WaitForLine($"Entering {state} STATE", timeout, since);

    public bool Entered(string state, DateTimeOffset since) =>
        _process.Lines.Any(l => l.At >= since && l.Line.Contains($"Entering {state} STATE", StringComparison.Ordinal));

    /// <summary>The state <paramref name="instance"/> last logged entering ("MASTER", "BACKUP", "FAULT"), or null.</summary>
    public string? StateOf(string instance)
    {
        string entering = $"({instance}) Entering ";
        return _process.Lines.Select(l => l.Line)
            .Where(l => l.Contains(entering, StringComparison.Ordinal) && l.Contains(" STATE", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(entering, StringComparison.Ordinal) + entering.Length)..].Split(' ')[0]).LastOrDefault();
    }

    public string? CurrentState => _process.Lines.Select(l => l.Line).Where(l => l.Contains("Entering ", StringComparison.Ordinal) && l.Contains(" STATE", StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf("Entering ", StringComparison.Ordinal) + 9)..].Split(' ')[0]).LastOrDefault();

    /// <summary>SIGKILL to the VRRP child first (it is the one that advertises), then the parent.</summary>
    public void HardKill()
    {
        var child = ChildPid();
        if (child is not null)
        {
            Signals.Send(child.Value, Signals.SIGKILL); // a syscall, not a kill process: its start would be measured
        }

        _process.Kill();
    }

    public void Stop() => _process.Terminate(TimeSpan.FromSeconds(20));

    public void Dispose()
    {
        HardKill();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private int? ChildPid()
    {
        string path = Path.Combine(_directory, "vrrp.pid");
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}

/// <summary>kill(2) without starting a process (a process start takes most of a second under emulation).</summary>
public static class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static void Send(int pid, int signal) => Tmds.Linux.LibC.kill(pid, signal);
}

/// <summary>Where the driver program is.</summary>
public static class Driver
{
    public static string Path
    {
        get
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
                    var candidate = System.IO.Path.Combine(directory.FullName, "tests", "Reconciler.VrrpDriver", "bin", configuration, "net10.0", "Reconciler.VrrpDriver.dll");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            throw new FileNotFoundException("build tests/Reconciler.VrrpDriver first (dotnet build tests/Reconciler.VrrpDriver) or set VRRP_DRIVER");
        }
    }
}

/// <summary>A client pinging the VIP every 100 ms; the longest silence between replies is the outage.</summary>
public sealed class PingClient : IDisposable
{
    private readonly LabProcess _process;

    public PingClient(string space, string address)
    {
        _process = LabProcess.Start(space, "ping", "-n", "-D", "-i", "0.1", "-W", "1", address);
    }

    /// <summary>Waits for the first reply sent back at or after <paramref name="after"/> (ping's own receive time); returns that time.</summary>
    public DateTimeOffset WaitForReply(DateTimeOffset after, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var first = ReplyTimes().Where(t => t >= after).Order().FirstOrDefault();
            if (first != default)
            {
                return first;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"no ping reply after {after:HH:mm:ss.fff} within {timeout.TotalSeconds:0.#} s; output:\n{_process.Output}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>The longest gap between consecutive replies whose reply times fall in [from, to].</summary>
    public TimeSpan LongestGap(DateTimeOffset from, DateTimeOffset to)
    {
        var replies = ReplyTimes()
            .Where(t => t >= from && t <= to)
            .Order()
            .ToList();
        var gap = TimeSpan.Zero;
        for (int i = 1; i < replies.Count; i++)
        {
            if (replies[i] - replies[i - 1] > gap)
            {
                gap = replies[i] - replies[i - 1];
            }
        }

        return replies.Count == 0 ? to - from : gap;
    }

    private IEnumerable<DateTimeOffset> ReplyTimes() => _process.Lines
        .Where(l => l.Line.Contains("bytes from", StringComparison.Ordinal) && l.Line.StartsWith('['))
        .Select(l => DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(l.Line[1..l.Line.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture) * 1000)));

    public int Replies => _process.Lines.Count(l => l.Line.Contains("bytes from", StringComparison.Ordinal));

    public void Dispose() => _process.Dispose();
}
