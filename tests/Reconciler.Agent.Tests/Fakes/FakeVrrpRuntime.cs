using System.Net;
using Reconciler.Agent.Engine;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>A VRRP runtime whose state the test sets: every instance of the topology this node takes part in
/// reports <see cref="State"/> with <see cref="Master"/> as the master heard.</summary>
internal sealed class FakeVrrpRuntime(IReadOnlyList<string> instances, IReadOnlyDictionary<string, string>? syncGroups = null) : IVrrpRuntime
{
    public event Action? Transitioned;

    public event Action<VrrpTransition>? TookOverFromSilentMaster;

    /// <summary>The instances the agent put on standby (applied before <see cref="Start"/> when set then).</summary>
    public SortedSet<string> Standby { get; } = new(StringComparer.Ordinal);

    public bool StandbySetBeforeStart { get; private set; }

    public void SetStandby(IReadOnlyCollection<string> names, bool standby)
    {
        StandbySetBeforeStart |= !Started && standby;
        foreach (var name in names.Where(instances.Contains))
        {
            if (standby)
            {
                Standby.Add(name);
            }
            else
            {
                Standby.Remove(name);
            }
        }
    }

    /// <summary>Every instance becomes MASTER because <paramref name="formerMaster"/>'s adverts stopped: the immediate
    /// event first, then <see cref="Transitioned"/>, as the real one does.</summary>
    public void TakeOverFromSilentMaster(IPAddress formerMaster)
    {
        State = VrrpState.Master;
        Master = null;
        foreach (var instance in instances)
        {
            TookOverFromSilentMaster?.Invoke(new VrrpTransition(instance, VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 100, formerMaster));
        }

        Transitioned?.Invoke();
    }

    public VrrpState State { get; set; } = VrrpState.Initialize;

    public IPAddress? Master { get; set; }

    public bool Started { get; private set; }

    public bool Disposed { get; private set; }

    public bool Released { get; private set; }

    /// <summary>Moves every instance to <paramref name="state"/> and raises <see cref="Transitioned"/>, as the real one does.</summary>
    public void Transition(VrrpState state, IPAddress? master)
    {
        State = state;
        Master = master;
        Transitioned?.Invoke();
    }

    public IReadOnlyList<(string Instance, Exception Error)> Start()
    {
        Started = true;
        return [];
    }

    /// <summary>Runs after every <see cref="GetStatus"/> read: lets a test move VRRP while the agent is planning.</summary>
    public Action? AfterStatusRead { get; set; }

    public IReadOnlyList<VrrpInstanceStatus> GetStatus()
    {
        var status = instances.Select(name => VrrpStatuses.Of(name, State, State == VrrpState.Master ? null : Master) with
        {
            Standby = Standby.Contains(name),
            SyncGroup = syncGroups?.GetValueOrDefault(name),
            SyncGroupState = syncGroups?.ContainsKey(name) == true ? State : null,
        }).ToList();
        AfterStatusRead?.Invoke();
        return status;
    }

    /// <summary>The instances whose addresses the agent asked back, in order.</summary>
    public List<string> Reasserted { get; } = [];

    /// <summary>Does what the real router does as far as the agent sees: only a MASTER puts its addresses back
    /// (this fake's node holds none: a test that wants them there adds them).</summary>
    public bool ReassertVirtualAddresses(string instance)
    {
        Reasserted.Add(instance);
        return State == VrrpState.Master;
    }

    public void Release() => Released = true;

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Creates a <see cref="FakeVrrpRuntime"/> for a topology in which the node takes part in a VRRP instance,
/// and none (null) when it takes part in none, as the Linux factory does; throws <see cref="Failure"/> when set.</summary>
internal sealed class FakeVrrpRuntimeFactory : IVrrpRuntimeFactory
{
    public VrrpState InitialState { get; set; } = VrrpState.Master;

    public IPAddress? InitialMaster { get; set; }

    public Exception? Failure { get; set; }

    public List<FakeVrrpRuntime> Created { get; } = [];

    public FakeVrrpRuntime? Runtime => Created.LastOrDefault();

    public IVrrpRuntime? Create(TopologyModel topology, string node)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        var instances = topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(node)).Select(i => i.Name).ToList();
        if (instances.Count == 0)
        {
            return null;
        }

        var groups = instances.Where(i => topology.SyncGroupOf(i) is not null).ToDictionary(i => i, i => topology.SyncGroupOf(i)!.Name, StringComparer.Ordinal);
        var runtime = new FakeVrrpRuntime(instances, groups) { State = InitialState, Master = InitialMaster };
        Created.Add(runtime);
        return runtime;
    }
}

/// <summary>Builds <see cref="VrrpInstanceStatus"/> records with plausible counters.</summary>
internal static class VrrpStatuses
{
    public static VrrpInstanceStatus Of(string instance, VrrpState state, IPAddress? master, DateTimeOffset? lastTransition = null) => new(
        instance,
        "eth0",
        51,
        2,
        state,
        100,
        100,
        master,
        lastTransition,
        state == VrrpState.Initialize ? null : VrrpTransitionReason.Startup,
        AdvertsSent: 12,
        AdvertsReceived: 3,
        PriorityZeroSent: 0,
        PriorityZeroReceived: 0,
        BecameMaster: state == VrrpState.Master ? 1 : 0,
        ReleasedMaster: 0,
        Transitions: state == VrrpState.Initialize ? 0 : 1,
        Dropped: 2,
        DropsByReason: new Dictionary<VrrpDropReason, long> { [VrrpDropReason.TtlInvalid] = 2 },
        HostErrors: 0,
        NotifyFailures: 0,
        Checks: new Dictionary<string, bool?>(StringComparer.Ordinal),
        Interfaces: new Dictionary<string, bool>(StringComparer.Ordinal) { ["eth0"] = true });
}
