using Reconciler.GitSource.Source;
using Reconciler.Health.Probes;
using Reconciler.Ipvs;
using Reconciler.Vrrp;
using Reconciler.Planning.Execution;

namespace Reconciler.Agent.Engine;

/// <summary>Where the topology comes from. <see cref="GitTopologySource"/> in production.</summary>
public interface ITopologyFeed : IDisposable
{
    Task<PollResult> PollAsync(CancellationToken cancellationToken);

    /// <summary>The last good revision kept from before a restart, without asking the server (null when none).</summary>
    Task<GoodRevision?> RestoreAsync(CancellationToken cancellationToken) => Task.FromResult<GoodRevision?>(null);

    SourceStatus Status { get; }
}

/// <summary>The VRRP instances of one topology on this node, running.</summary>
public interface IVrrpRuntime : IAsyncDisposable
{
    /// <summary>Raised after every transition (its notify hooks done).</summary>
    event Action? Transitioned;

    /// <summary>Raised the moment an instance becomes MASTER because the master it heard stopped advertising (not on a
    /// priority-0 release), before the reconcile that transition asks for. A runtime that cannot tell never raises it.</summary>
    event Action<VrrpTransition>? TookOverFromSilentMaster
    {
        add
        {
        }

        remove
        {
        }
    }

    /// <summary>Starts every instance; returns those that failed (the others run).</summary>
    IReadOnlyList<(string Instance, Exception Error)> Start();

    IReadOnlyList<VrrpInstanceStatus> GetStatus();

    /// <summary>Has the instance's router, the one writer of its virtual addresses, put them back while it is MASTER
    /// (someone removed one by hand). False when it is not MASTER (then they are not this node's to hold).</summary>
    bool ReassertVirtualAddresses(string instance);

    /// <summary>Puts the named instances on standby for a maintenance handover, or takes them off it (an instance
    /// started later keeps it); names this node does not run are ignored.</summary>
    void SetStandby(IReadOnlyCollection<string> instances, bool standby)
    {
    }

    /// <summary>Null while every instance's receive loop comes round within <paramref name="within"/>; otherwise which
    /// one does not (for the systemd watchdog).</summary>
    string? WhyNotResponsive(TimeSpan within) => null;

    /// <summary>Priority 0 from every master and the VIPs removed, at once and synchronously (the SIGTERM handler's
    /// first act); disposing later finishes the stop. Idempotent.</summary>
    void Release()
    {
    }
}

/// <summary>Builds the VRRP runtime for a topology (none when the node takes part in no instance).</summary>
public interface IVrrpRuntimeFactory
{
    IVrrpRuntime? Create(TopologyModel topology, string node);
}

/// <summary>Writes tracked files' initial values (keepalived's <c>init_file</c>) when a topology is adopted.</summary>
public interface ITrackedFileInit
{
    /// <summary>Writes what <paramref name="topology"/>'s tracked files ask for; <paramref name="atStart"/>: the agent's
    /// first topology (only then is an existing file overwritten). Returns what could not be written, a line each.</summary>
    IReadOnlyList<string> Initialize(TopologyModel topology, bool atStart);
}

/// <summary>Everything the agent touches outside the process: the seams of <see cref="NodeAgent"/>.</summary>
public sealed record AgentEdges(
    ITopologyFeed Source,
    IIpvsClient Ipvs,
    INodeAddresses Addresses,
    IVrrpRuntimeFactory Vrrp,
    INodeSysctls Sysctl,
    IHealthProbeFactory? Probes = null)
{
    /// <summary>Runs the health checker's notify commands (<c>notify_up</c>, <c>quorum_down</c>, ...); none: they are not
    /// run, and each is logged as refused.</summary>
    public Reconciler.Scripts.IScriptRunner Scripts { get; init; } = Reconciler.Scripts.NoScriptRunner.Instance;

    /// <summary>The node's routes and policy rules (its static ones are the plan's); none: neither read nor written.</summary>
    public INodeRoutes Routes { get; init; } = NoNodeRoutes.Instance;

    /// <summary>The mail queue VRRP and the health checker share (keepalived's <c>smtp_alert</c>); the agent keeps its
    /// settings in line with the topology's <c>mail</c> block and disposes it. None: no mail is sent.</summary>
    public Reconciler.Scripts.Mail.MailAlerter? Mail { get; init; }

    /// <summary>Writes tracked files' <c>init_file</c> values; none: they are not written.</summary>
    public ITrackedFileInit? TrackedFiles { get; init; }
}

/// <summary>The git source as the agent's feed.</summary>
public sealed class GitTopologyFeed(GitTopologySource source) : ITopologyFeed
{
    public SourceStatus Status => source.Status;

    public Task<PollResult> PollAsync(CancellationToken cancellationToken) => source.PollAsync(cancellationToken);

    public Task<GoodRevision?> RestoreAsync(CancellationToken cancellationToken) => source.RestoreAsync(cancellationToken);

    public void Dispose() => source.Dispose();
}
