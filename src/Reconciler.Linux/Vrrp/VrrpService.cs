using Microsoft.Extensions.Logging;
using Reconciler.Linux.Route;
using Reconciler.Vrrp;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// Every VRRP instance this node takes part in, each a <see cref="VrrpInstanceRunner"/>, sharing one rtnetlink
/// client. The agent starts it after the topology has loaded, reads <see cref="GetStatus"/> for /status and
/// /metrics, reconciles on <see cref="Transitioned"/>, calls <see cref="Release"/> first thing on SIGTERM (priority 0
/// from every master) and disposes it afterwards. A changed topology means a new service (routers are immutable), as
/// keepalived reloads.
/// </summary>
public sealed class VrrpService : IAsyncDisposable
{
    private readonly RtnetlinkClient _rtnetlink;
    private readonly List<VrrpInstanceRunner> _runners;
    private readonly List<(VrrpSyncGroupCoordinator Group, VrrpNotifier Notifier)> _syncGroups = [];
    private readonly ILogger _logger;

    public VrrpService(IEnumerable<VrrpRouterConfig> configs, VrrpInstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(options);
        _logger = options.LoggerFactory.CreateLogger<VrrpService>();
        _rtnetlink = RtnetlinkClient.Open(options.NetworkNamespacePath);
        _runners = configs.Select(c => new VrrpInstanceRunner(c, options, _rtnetlink)).ToList();
        foreach (var runner in _runners)
        {
            Subscribe(runner);
        }
    }

    /// <summary>
    /// The instances of <paramref name="topology"/> that <paramref name="nodeName"/> takes part in, with their notify
    /// hooks and tracked check definitions from the topology, and the sync groups they form on this node (each with its
    /// own notify hooks). Password files are read here (the edge's job).
    /// </summary>
    public static VrrpService FromTopology(TopologyModel topology, string nodeName, VrrpInstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        options ??= new VrrpInstanceOptions();
        var instances = topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(nodeName)).ToList();
        var configs = instances.Select(i => VrrpRouterConfig.FromTopology(topology, i, nodeName, File.ReadAllText)).ToList();
        var service = new VrrpService([], options with { NodeName = nodeName });
        var groups = new Dictionary<string, VrrpSyncGroupCoordinator>(StringComparer.Ordinal);
        foreach (var group in topology.SyncGroups)
        {
            var members = group.Instances.Where(name => instances.Any(i => i.Name == name)).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var logger = options.LoggerFactory.CreateLogger("Reconciler.Vrrp.SyncGroup." + group.Name);
            var notifier = new VrrpNotifier(group.Notify, nodeName, options.Scripts, logger, options.HttpClient, options.NotifyTimeout, options.TimeProvider, options.Mail);
            var coordinator = new VrrpSyncGroupCoordinator(group.Name, members, notifier);
            service._syncGroups.Add((coordinator, notifier));
            foreach (var member in members)
            {
                groups[member] = coordinator;
            }
        }

        for (int i = 0; i < instances.Count; i++)
        {
            var perInstance = options with { NodeName = nodeName, Notify = instances[i].Notify, Checks = topology.Checks };
            service.Add(new VrrpInstanceRunner(configs[i], perInstance, service._rtnetlink, groups.GetValueOrDefault(instances[i].Name)));
        }

        return service;
    }

    public IReadOnlyList<VrrpInstanceRunner> Instances => _runners;

    /// <summary>Raised after each transition's notify hooks ran (off every router lock): a good moment to reconcile.</summary>
    public event Action<VrrpTransition>? Transitioned;

    /// <summary>Raised on the router's thread the moment an instance becomes MASTER because the master it heard stopped
    /// advertising (<see cref="VrrpTransition.TookOverFromSilentMaster"/>), before the reconcile that transition asks
    /// for: record only, never call the router.</summary>
    public event Action<VrrpTransition>? TookOverFromSilentMaster;

    /// <summary>Starts every instance; one that fails to start is logged and the others go on. Returns the failures.</summary>
    public IReadOnlyList<(string Instance, Exception Error)> Start()
    {
        var failures = new List<(string, Exception)>();
        foreach (var runner in _runners)
        {
            try
            {
                runner.Start();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogError(e, "VRRP instance {Instance} failed to start", runner.Config.InstanceName);
                failures.Add((runner.Config.InstanceName, e));
            }
        }

        return failures;
    }

    public IReadOnlyList<VrrpInstanceStatus> GetStatus() => _runners.Select(r => r.GetStatus()).ToList();

    /// <summary>The sync groups this node runs.</summary>
    public IReadOnlyList<VrrpSyncGroupCoordinator> SyncGroups => _syncGroups.Select(g => g.Group).ToList();

    /// <summary>Null while every instance's receive loop comes round within <paramref name="within"/> (systemd's watchdog).</summary>
    public string? WhyNotResponsive(TimeSpan within) => _runners.Select(r => r.WhyNotResponsive(within)).FirstOrDefault(why => why is not null);

    /// <summary>Has <paramref name="instance"/>'s router put its virtual addresses back if it is MASTER
    /// (<see cref="VrrpRouter.ReassertVirtualAddresses"/>); false when it is not, or no such instance runs.</summary>
    public bool ReassertVirtualAddresses(string instance) =>
        _runners.FirstOrDefault(r => r.Config.InstanceName == instance)?.ReassertVirtualAddresses() ?? false;

    /// <summary>
    /// Graceful release of every instance, the agent's first step on SIGTERM: every master sends priority 0 at once
    /// (all of them before any instance touches its addresses), then the VIPs are removed; STOP is queued to the notify
    /// hooks. Synchronous and short: call it from the signal handler itself (<c>PosixSignalRegistration</c>), before any
    /// <c>await</c>, then dispose at leisure. Idempotent; an instance that fails is logged and the others are still released.
    /// </summary>
    public void Release()
    {
        foreach (var runner in _runners)
        {
            Guard(runner, "release", runner.BeginRelease);
        }

        foreach (var runner in _runners)
        {
            Guard(runner, "VIP removal", runner.CompleteRelease);
        }
    }

    /// <summary>Releases every instance (see <see cref="Release"/>), then waits for their checks, receive threads and notify hooks and closes everything.</summary>
    public async ValueTask DisposeAsync()
    {
        Release();
        await Task.WhenAll(_runners.Select(r => r.DisposeAsync().AsTask()));
        foreach (var (group, notifier) in _syncGroups)
        {
            try
            {
                await notifier.DisposeAsync();
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("VRRP sync group {Group}: notify hooks still running at shutdown", group.Name);
            }
        }

        _rtnetlink.Dispose();
    }

    private void Guard(VrrpInstanceRunner runner, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "VRRP instance {Instance}: {What} failed", runner.Config.InstanceName, what);
        }
    }

    /// <summary>Puts <paramref name="instances"/> on standby for a maintenance handover, or takes them off it (see
    /// <see cref="VrrpRouter.SetStandby"/>); returns the instances of this node it applied to, in order. A member of a sync
    /// group takes the whole group along: members hand over together, as they fail over together.</summary>
    public IReadOnlyList<string> SetStandby(IReadOnlyCollection<string> instances, bool standby)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var named = new HashSet<string>(instances, StringComparer.Ordinal);
        foreach (var (group, _) in _syncGroups.Where(g => g.Group.MemberNames.Any(named.Contains)))
        {
            named.UnionWith(group.MemberNames);
        }

        var applied = new List<string>();
        foreach (var runner in _runners.Where(r => named.Contains(r.Config.InstanceName)))
        {
            runner.SetStandby(standby);
            applied.Add(runner.Config.InstanceName);
        }

        return applied;
    }

    private void Add(VrrpInstanceRunner runner)
    {
        Subscribe(runner);
        _runners.Add(runner);
    }

    private void Subscribe(VrrpInstanceRunner runner)
    {
        runner.Transitioned += t => Transitioned?.Invoke(t);
        runner.TransitionedImmediate += (t, _) =>
        {
            if (t.TookOverFromSilentMaster)
            {
                TookOverFromSilentMaster?.Invoke(t);
            }
        };
    }
}
