using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;
using Reconciler.Linux.Native;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// One real <c>reconciler agent</c> (the published executable) for a group of fault tests, as an operator runs it:
/// following a file:// topology repository, node lb1 in a namespace of its own whose <c>eth0</c> (10.0.0.1/24) is
/// one end of a veth pair; the other end is a second namespace, the "segment", from which tests send packets at it.
/// The topology: VRRPv2 instance VI_1 (vrid 51, PASS "1111", advert 1 s, lb1 alone at 100, VIP 10.0.0.100/24) and
/// the service 10.0.0.100:80 bound to it (wrr, DR, real servers .3 weight 1 and .4 weight 5). Drift checks every
/// <see cref="DriftInterval"/>. Started once (an agent takes a minute to start under emulation) and shared: tests
/// compare counters before and after, never absolute values.
/// </summary>
public sealed class AgentLab : IDisposable
{
    public const string Vip = "10.0.0.100";
    public const string SegmentAddress = "10.0.0.9";
    public const int EndpointPort = 9477;
    public static readonly TimeSpan DriftInterval = TimeSpan.FromSeconds(5);

    public const string Topology = """
        nodes:
          - {name: lb1, addresses: [10.0.0.1], interfaces: [eth0]}
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100}
            authentication: {password: "1111"}
            virtualAddresses: [10.0.0.100/24]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: dr
            vrrpInstance: VI_1
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}
              - {address: 10.0.0.4, port: 80, weight: 5}

        """;

    /// <summary>The service as <c>ipvsadm -Sn</c> prints it once applied.</summary>
    public const string AppliedTable = """
        -A -t 10.0.0.100:80 -s wrr
        -a -t 10.0.0.100:80 -r 10.0.0.3:80 -g -w 1
        -a -t 10.0.0.100:80 -r 10.0.0.4:80 -g -w 5

        """;

    public static readonly TimeSpan AgentStartTimeout = TimeSpan.FromSeconds(420);
    private readonly string _work;
    private readonly List<string> _namespaces = [];
    private readonly string[] _agentArguments;

    public AgentLab()
        : this(Topology, [], lab => lab.ServiceTable() == AppliedTable && lab.HasVip(), "the agent applied the topology and holds the VIP")
    {
    }

    /// <summary>The same lab over another <paramref name="topology"/> (node lb1 on eth0, 10.0.0.1/24), the agent started
    /// with <paramref name="agentArguments"/> too, and ready once <paramref name="started"/> holds.</summary>
    internal AgentLab(string topology, string[] agentArguments, Func<AgentLab, bool> started, string what)
    {
        _agentArguments = agentArguments;
        Lab.RequireIpvsKernel();
        string id = Guid.NewGuid().ToString("N")[..8];
        Node = "ra" + id;
        Segment = "rs" + id;
        _work = Directory.CreateTempSubdirectory("reconciler-agent-lab-").FullName;
        try
        {
            foreach (var space in new[] { Node, Segment })
            {
                Lab.Run("ip", "netns", "add", space).Check("ip netns add " + space);
                _namespaces.Add(space);
            }

            Lab.RunWithInput(
                $"""
                link set lo up
                link add eth0 type veth peer name eth0 netns {Segment}
                link set eth0 address 02:00:00:00:00:01
                addr add 10.0.0.1/24 dev eth0
                link set eth0 up

                """,
                "ip", "-n", Node, "-batch", "-").Check("node namespace setup");
            Lab.RunWithInput(
                $"""
                link set lo up
                link set eth0 address 02:00:00:00:00:09
                addr add {SegmentAddress}/24 dev eth0
                link set eth0 up

                """,
                "ip", "-n", Segment, "-batch", "-").Check("segment namespace setup");
            SegmentInterfaceIndex = int.Parse(Lab.Run("ip", "-n", Segment, "-o", "link", "show", "eth0").Check("ip link").Split(':')[0], CultureInfo.InvariantCulture);

            Repository = Path.Combine(_work, "topology");
            StateDirectory = Path.Combine(_work, "state");
            Directory.CreateDirectory(Repository);
            Git("init", "--quiet", "--initial-branch=main");
            File.WriteAllText(Path.Combine(Repository, "topology.yaml"), topology);
            Git("add", "topology.yaml");
            Git("commit", "--quiet", "-m", "lb1: VIP 10.0.0.100 and web");

            Http = CreateHttpClient();
            Agent = StartAgentProcess();
            try
            {
                WaitUntil(() => started(this), what, AgentStartTimeout);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\nipvsadm -Sn:\n{Ipvsadm("-Sn")}\naddresses:\n{Lab.Run("ip", "-n", Node, "-o", "addr").Output}\nagent output:\n{Agent.Output}", e);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The director's namespace (the agent's).</summary>
    public string Node { get; }

    /// <summary>The namespace on the other end of the director's eth0.</summary>
    public string Segment { get; }

    public int SegmentInterfaceIndex { get; }

    public string Repository { get; } = "";

    public string StateDirectory { get; } = "";

    public LabProcess Agent { get; private set; } = null!;

    /// <summary>Talks to the agent's endpoint (127.0.0.1:9477 in the director's namespace). Created before the agent
    /// starts (requests fail until it listens).</summary>
    public HttpClient Http { get; } = null!;

    /// <summary>
    /// An HTTP client whose connections are opened inside the director's namespace: the socket is created on a thread
    /// that entered the namespace (a socket keeps its namespace for life), then connected to a loopback port there
    /// (the agent's unless <paramref name="port"/> says otherwise).
    /// </summary>
    public HttpClient CreateHttpClient(int maxConnections = 64, int port = EndpointPort)
    {
        string path = "/run/netns/" + Node;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            ConnectCallback = async (_, cancel) =>
            {
                var socket = LinuxNative.InNetworkNamespace(path, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>SIGKILL to the agent: nothing is released (VIPs and services stay as they are), as after a crash.</summary>
    public void KillAgent() => Agent.Kill();

    /// <summary>Starts the agent again, as systemd would after <see cref="KillAgent"/>: same settings and state folder.</summary>
    public void StartAgentAgain()
    {
        Agent.Dispose();
        Agent = StartAgentProcess();
    }

    /// <summary>Whether the agent answers and reports <paramref name="state"/> for VI_1 (false while it starts).</summary>
    public bool ReportsVrrpState(string state)
    {
        try
        {
            return Metrics().Sum("reconciler_vrrp_state", $"state=\"{state}\"") == 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>GET /metrics, parsed.</summary>
    public PrometheusSample Metrics() => PrometheusSample.Parse(Http.GetStringAsync("/metrics").GetAwaiter().GetResult());

    /// <summary>The lines of <c>ipvsadm -Sn</c> for the VIP's service (other services are not the agent's).</summary>
    public string ServiceTable() =>
        string.Concat(Ipvsadm("-Sn").Split('\n').Where(l => l.Contains(Vip + ":80", StringComparison.Ordinal)).Select(l => l + "\n"));

    public string Ipvsadm(params string[] arguments) =>
        Lab.Run("ip", ["netns", "exec", Node, "ipvsadm", .. arguments]).Check("ipvsadm " + string.Join(' ', arguments));

    public bool HasVip() => VrrpLan.HasAddress(Node, Vip);

    /// <summary>The agent's CPU time so far (user + system), from /proc/PID/stat.</summary>
    public TimeSpan AgentCpuTime()
    {
        string stat = File.ReadAllText($"/proc/{Agent.Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    public static TimeSpan WaitUntil(Func<bool> condition, string what, TimeSpan timeout)
    {
        var started = DateTimeOffset.UtcNow;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow - started > timeout)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {what}");
            }

            Thread.Sleep(100);
        }

        return DateTimeOffset.UtcNow - started;
    }

    /// <summary>Commits <paramref name="topology"/> as the repository's topology.yaml (the agent polls every 2 s).</summary>
    public void CommitTopology(string topology, string message)
    {
        File.WriteAllText(Path.Combine(Repository, "topology.yaml"), topology);
        Git("commit", "--quiet", "-am", message);
    }

    private LabProcess StartAgentProcess() => LabProcess.Start(Node, ReconcilerBinary.Path,
    [
        "agent", "--node", "lb1", "--repo", "file://" + Repository, "--state-dir", StateDirectory,
        "--poll-interval", "2s", "--drift-interval", DriftInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s", .. _agentArguments,
    ]);

    private void Git(params string[] arguments) =>
        Lab.Run("git", ["-C", Repository, "-c", "user.name=Ops Alice", "-c", "user.email=alice@example.org", .. arguments]).Check("git " + string.Join(' ', arguments));

    public void Dispose()
    {
        Http?.Dispose();
        if (Agent is not null)
        {
            Agent.Terminate(TimeSpan.FromSeconds(30));
            Agent.Dispose();
        }

        foreach (var space in _namespaces)
        {
            Lab.Run("ip", "netns", "del", space);
        }

        Directory.Delete(_work, recursive: true);
    }
}

/// <summary>A Prometheus text exposition, read back: the value of a sample by name and labels.</summary>
public sealed class PrometheusSample
{
    private readonly List<(string Name, string Labels, double Value)> _samples;

    private PrometheusSample(List<(string Name, string Labels, double Value)> samples, string text)
    {
        _samples = samples;
        Text = text;
    }

    public string Text { get; }

    public static PrometheusSample Parse(string text)
    {
        var samples = new List<(string, string, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            string series = line[..space];
            int brace = series.IndexOf('{', StringComparison.Ordinal);
            string name = brace < 0 ? series : series[..brace];
            string labels = brace < 0 ? "" : series[(brace + 1)..^1];
            samples.Add((name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }

        return new PrometheusSample(samples, text);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (<c>reason="AuthFailure"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);
}
