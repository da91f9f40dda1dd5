using Microsoft.Extensions.Logging;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Settings;
using Reconciler.GitSource.Source;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Route;
using Reconciler.Linux.Scripts;
using Reconciler.Health.Probes;
using Reconciler.Linux.Sysctl;
using Reconciler.Linux.Vrrp;
using Reconciler.Scripts.Mail;
using Reconciler.Vrrp;

namespace Reconciler.Cli.Composition;

/// <summary>The agent's edges on Linux, in this process's network namespace: the composition root is the one place
/// that knows both the agent and the native code (the agent itself depends on neither Linux nor its types).</summary>
internal static class LinuxAgentEdges
{
    /// <summary>The kernel (IPVS and rtnetlink), VRRP sockets, /proc/sys and the git source; exec checks, tracked
    /// scripts and notify commands all run through <paramref name="scripts"/>.</summary>
    public static AgentEdges Open(AgentSettings settings, ILoggerFactory loggers, ScriptRunner scripts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(scripts);
        loggers.CreateLogger("Reconciler.Scripts").LogInformation(
            "Commands from the topology run as {User}, at most {MaxConcurrent} at once", scripts.RunsAs, scripts.Policy.MaxConcurrent);
        var source = new GitTopologySource(settings.ToGitSourceOptions());
        var mail = new MailAlerter(loggers.CreateLogger("Reconciler.Mail"));
        var addresses = RtnetlinkNodeAddresses.Open();
        return new AgentEdges(
            new GitTopologyFeed(source),
            IpvsNetlinkClient.Open(),
            addresses,
            new LinuxVrrpRuntimeFactory(new VrrpInstanceOptions { NodeName = settings.Node, LoggerFactory = loggers, Scripts = scripts, Mail = mail }),
            new ProcSysctls(),
            new HealthProbeFactory(TimeProvider.System, scripts, Reconciler.Linux.Files.TrackedFileWatcher.Shared.Watch))
        {
            Scripts = scripts,
            Mail = mail,
            Routes = new RtnetlinkNodeRoutes(addresses.Client),
            TrackedFiles = new LinuxTrackedFileInit(),
        };
    }
}

/// <summary><see cref="Reconciler.Linux.Files.TrackedFileInitializer"/> as the agent's tracked-file edge.</summary>
internal sealed class LinuxTrackedFileInit : ITrackedFileInit
{
    public IReadOnlyList<string> Initialize(Reconciler.Topology.Model.Topology topology, bool atStart) =>
        Reconciler.Linux.Files.TrackedFileInitializer.Initialize(topology, atStart);
}

/// <summary><see cref="VrrpService"/> as the agent's VRRP runtime.</summary>
internal sealed class LinuxVrrpRuntime(VrrpService service) : IVrrpRuntime
{
    public event Action? Transitioned
    {
        add => _transitioned += value;
        remove => _transitioned -= value;
    }

    private Action? _transitioned;
    private bool _subscribed;

    public event Action<VrrpTransition>? TookOverFromSilentMaster
    {
        add => service.TookOverFromSilentMaster += value;
        remove => service.TookOverFromSilentMaster -= value;
    }

    public IReadOnlyList<(string Instance, Exception Error)> Start()
    {
        if (!_subscribed)
        {
            service.Transitioned += _ => _transitioned?.Invoke();
            _subscribed = true;
        }

        return service.Start();
    }

    public IReadOnlyList<VrrpInstanceStatus> GetStatus() => service.GetStatus();

    public bool ReassertVirtualAddresses(string instance) => service.ReassertVirtualAddresses(instance);

    public void SetStandby(IReadOnlyCollection<string> instances, bool standby) => service.SetStandby(instances, standby);

    public string? WhyNotResponsive(TimeSpan within) => service.WhyNotResponsive(within);

    public void Release() => service.Release();

    public ValueTask DisposeAsync() => service.DisposeAsync();
}

/// <summary>Creates <see cref="LinuxVrrpRuntime"/>s in the process's network namespace.</summary>
internal sealed class LinuxVrrpRuntimeFactory(VrrpInstanceOptions options) : IVrrpRuntimeFactory
{
    public IVrrpRuntime? Create(TopologyModel topology, string node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        if (!topology.VrrpInstances.Any(i => i.Priorities.ContainsKey(node)))
        {
            return null;
        }

        return new LinuxVrrpRuntime(VrrpService.FromTopology(topology, node, options));
    }
}

