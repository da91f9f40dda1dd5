using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.Planning.Tests.Fakes;

namespace Reconciler.Agent.Tests.Faults;

/// <summary>
/// A <see cref="NodeAgent"/> for node lb1 over the real git source (<see cref="GitTopologySource"/> through
/// <see cref="GitTopologyFeed"/>, fetching from a real <c>git daemon</c>) and the fake kernel, VRRP and sysctls.
/// The backoff after an unreachable server is shortened so the test can honour it as the agent's loop does.
/// </summary>
internal sealed class GitAgentHarness : IAsyncDisposable
{
    public const string Node = "lb1";

    public static readonly BackoffPolicy ShortBackoff = new(TimeSpan.FromMilliseconds(100), 2, TimeSpan.FromSeconds(1));

    private readonly TempDirectory _root = new();

    public GitAgentHarness(bool allowMassRemoval = false, bool allowNonFastForward = false)
    {
        Server = new GitServer(_root.Path);
        StateDirectory = _root.File("state");
        Directory.CreateDirectory(StateDirectory);
        Settings = new AgentSettings
        {
            Node = Node,
            Repository = new RepositorySettings { Url = Server.Url, Path = "topology" },
            StateDirectory = StateDirectory,
            MinReconcileInterval = TimeSpan.FromSeconds(1),
            AllowMassRemoval = allowMassRemoval,
            AllowNonFastForward = allowNonFastForward,
        };
        Source = new GitTopologySource(Settings.ToGitSourceOptions() with { Backoff = ShortBackoff }, Time);
        Agent = new NodeAgent(Settings, new AgentEdges(new GitTopologyFeed(Source), Ipvs, Addresses, Vrrp, Sysctl), Time, Logs);
    }

    public GitServer Server { get; }

    public FakeTimeProvider Time { get; } = new(Polls.Epoch);

    public FakeIpvsClient Ipvs { get; } = new();

    public FakeNodeAddresses Addresses { get; } = new();

    public FakeSysctl Sysctl { get; } = new();

    public FakeVrrpRuntimeFactory Vrrp { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    public AgentSettings Settings { get; }

    public GitTopologySource Source { get; private set; }

    public NodeAgent Agent { get; private set; }

    public string StateDirectory { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>One turn of the agent's loop: poll the server, then reconcile (as the trigger would).</summary>
    public async Task<(PollResult Poll, Agent.Status.ReconcileView Reconcile)> PollAndReconcileAsync()
    {
        var poll = await Agent.PollAsync(Token);
        return (poll, Agent.Reconcile(["test"]));
    }

    /// <summary>Stops the agent and starts a new one (and a new git source) over the same state folder, server and kernel.</summary>
    public async Task RestartAsync()
    {
        await Agent.DisposeAsync();
        Source.Dispose();
        Source = new GitTopologySource(Settings.ToGitSourceOptions() with { Backoff = ShortBackoff }, Time);
        Agent = new NodeAgent(Settings, new AgentEdges(new GitTopologyFeed(Source), Ipvs, Addresses, Vrrp, Sysctl), Time, Logs);
    }

    public IReadOnlyList<AuditEntry> Journal() => AuditJournal.InStateDirectory(StateDirectory).Read().Entries;

    /// <summary>The IPVS table and the addresses as text, every field of services and real servers.</summary>
    public string KernelSnapshot() => string.Join(
        "\n",
        Ipvs.GetAll()
            .Select(s => $"{s.Service}: " + string.Join(", ", s.Destinations.Select(d => d.Destination.ToString()).Order(StringComparer.Ordinal)))
            .Concat(Addresses.GetAddresses().Select(a => $"{a.Address} on {a.Interface}"))
            .Order(StringComparer.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Server.Dispose();
        _root.Dispose();
    }
}
