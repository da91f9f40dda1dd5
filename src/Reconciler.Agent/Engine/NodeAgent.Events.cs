using Reconciler.Agent.Status;
using Reconciler.Health;

namespace Reconciler.Agent.Engine;

/// <summary>The recent events of <c>/status</c> (the status page's list): what changed on the node, newest first.</summary>
public sealed partial class NodeAgent
{
    private readonly RecentEvents _events = new();
    private readonly Dictionary<string, (Vrrp.VrrpState State, DateTimeOffset? At)> _vrrpTransitionsSeen = [];

    private void RecordEvent(string kind, string message) => _events.Add(_time.GetUtcNow(), kind, message);

    /// <summary>A real server or service changed (weight steps of a slow start are left out: the table shows the
    /// weight, and a ramp of every server would push everything else out).</summary>
    private void RecordHealthEvent(HealthChange change)
    {
        // Quorum changes go with a withdrawn service, a sorry server, or the server changes that caused them.
        if (change.Kind is not (HealthChangeKind.WeightChanged or HealthChangeKind.QuorumLost or HealthChangeKind.QuorumRegained))
        {
            _events.Add(change.Time, "health", change.ToString());
        }
    }

    /// <summary>A reconcile that did something (the drift checks that find nothing to do are not events).</summary>
    private void RecordReconcileEvent(ReconcileView view)
    {
        if (view.Operations > 0 || view.Failed > 0)
        {
            _events.Add(view.Time, "reconcile",
                $"{view.Result}: {view.Operations} operations ({view.Failed} failed, {view.Drift} drift); why: {string.Join(", ", view.Reasons)}");
        }
    }

    /// <summary>After a VRRP transition: every instance whose state or last transition is new, with its reason.</summary>
    private void RecordVrrpEvents()
    {
        var instances = Volatile.Read(ref _vrrp)?.GetStatus() ?? [];
        lock (_vrrpTransitionsSeen)
        {
            foreach (var instance in instances)
            {
                var seen = (instance.State, instance.LastTransition);
                if (!_vrrpTransitionsSeen.TryGetValue(instance.Instance, out var before) || before != seen)
                {
                    _vrrpTransitionsSeen[instance.Instance] = seen;
                    _events.Add(instance.LastTransition ?? _time.GetUtcNow(), "vrrp",
                        $"{instance.Instance} is {instance.State.ToString().ToUpperInvariant()}{(instance.LastReason is { } reason ? $" ({reason})" : "")}");
                }
            }
        }
    }
}
