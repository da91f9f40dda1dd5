using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.Planning.Tests.Fakes;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>
/// A <see cref="NodeAgent"/> for node lb1 over fakes: a scripted topology feed, a map-backed kernel (IPVS and
/// addresses), a VRRP runtime whose state the test sets, a sysctl dictionary and a temp state folder. The kernel,
/// sysctls and state folder outlive the agent, so <see cref="RestartAsync"/> starts a new agent over them.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string Node = "lb1";

    private readonly TempDirectory _state = new();

    private AgentHarness(bool cleanupOnStop, IReadOnlyList<PollResult> script)
    {
        Settings = new AgentSettings
        {
            Node = Node,
            Repository = new RepositorySettings { Url = "https://git.example.com/lb/topology.git" },
            StateDirectory = _state.Path,
            MinReconcileInterval = TimeSpan.FromSeconds(1),
            CleanupOnStop = cleanupOnStop,
        };
        Feed = new ScriptedTopologyFeed([.. script]);
        Refusing = new RefusingIpvsClient(Ipvs);
        Agent = NewAgent();
    }

    public FakeTimeProvider Time { get; } = new(Polls.Epoch);

    public FakeIpvsClient Ipvs { get; } = new();

    /// <summary>What the agent talks to: <see cref="Ipvs"/> behind a seam that can refuse chosen operations.</summary>
    public RefusingIpvsClient Refusing { get; }

    public FakeNodeAddresses Addresses { get; } = new();

    public FakeSysctl Sysctl { get; } = new();

    public FakeVrrpRuntimeFactory Vrrp { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>Every tracked-file initialisation the agent asked for: whether it was at start.</summary>
    public RecordingTrackedFileInit TrackedFiles { get; } = new();

    public AgentSettings Settings { get; }

    public ScriptedTopologyFeed Feed { get; private set; }

    public NodeAgent Agent { get; private set; }

    public string StateDirectory => _state.Path;

    public static AgentHarness Start(params PollResult[] script) => new(cleanupOnStop: false, script);

    public static AgentHarness StartWithCleanup(params PollResult[] script) => new(cleanupOnStop: true, script);

    /// <summary>Polls once (the next scripted result) and reconciles; returns the reconcile's view.</summary>
    public async Task<Agent.Status.ReconcileView> PollAndReconcileAsync()
    {
        await Agent.PollAsync(TestContext.Current.CancellationToken);
        return Agent.Reconcile(["test"]);
    }

    /// <summary>Stops the agent (as systemd does) and starts a new one over the same kernel and state folder.</summary>
    public async Task RestartAsync(params PollResult[] script)
    {
        await Agent.DisposeAsync();
        Feed = new ScriptedTopologyFeed([.. script]);
        Agent = NewAgent();
    }

    public IReadOnlyList<AuditEntry> Journal() => AuditJournal.InStateDirectory(_state.Path).Read().Entries;

    /// <summary>The kernel as text: services with their real servers and weights, and interface addresses.</summary>
    public string KernelSnapshot() => string.Join(
        "\n",
        IpvsLines().Concat(Addresses.GetAddresses().Select(a => $"{a.Address} on {a.Interface}")).Order(StringComparer.Ordinal));

    /// <summary>The IPVS table alone as text (every field of services and real servers).</summary>
    public string IpvsSnapshot() => string.Join(
        "\n",
        Ipvs.GetAll().Select(s => $"{s.Service}: " + string.Join(", ", s.Destinations.Select(d => d.Destination.ToString()).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));

    private IEnumerable<string> IpvsLines() => Ipvs.GetAll().Select(s => $"{s.Service.Key} {s.Service.Scheduler}: " +
        string.Join(", ", s.Destinations.Select(d => $"{d.Destination.Endpoint} w{d.Destination.Weight}").Order(StringComparer.Ordinal)));

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        _state.Dispose();
    }

    private NodeAgent NewAgent() => new(Settings, new AgentEdges(Feed, Refusing, Addresses, Vrrp, Sysctl) { TrackedFiles = TrackedFiles }, Time, Logs);
}

/// <summary>Records the agent's calls; reports <see cref="Problems"/> each time.</summary>
internal sealed class RecordingTrackedFileInit : ITrackedFileInit
{
    public System.Collections.Concurrent.ConcurrentQueue<bool> Calls { get; } = new();

    public IReadOnlyList<string> Problems { get; set; } = [];

    public IReadOnlyList<string> Initialize(Reconciler.Topology.Model.Topology topology, bool atStart)
    {
        Calls.Enqueue(atStart);
        return Problems;
    }
}
