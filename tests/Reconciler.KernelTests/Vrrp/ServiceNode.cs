using System.Collections.Concurrent;
using Reconciler.Linux.Vrrp;
using Reconciler.Vrrp;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// A node's instances from a topology, run as the agent runs them (<see cref="VrrpService.FromTopology"/>: tracked
/// checks, notify hooks, unicast peers) inside the test process, with sockets and addresses in the node's namespace.
/// In-process because loading a topology (schema compilation) takes about a minute in a fresh process under
/// emulation; the test process pays it once. Check and notify commands run in the test process's namespace.
/// </summary>
public sealed class ServiceNode : IVrrpNode
{
    private readonly ConcurrentQueue<(DateTimeOffset At, VrrpTransition Transition)> _transitions = new();

    /// <summary>The agent's default script policy: commands run as nobody (the guest has no keepalived_script).</summary>
    private static readonly Reconciler.Linux.Scripts.ScriptRunner Scripts = Reconciler.Linux.Scripts.ScriptRunner.Create(new Reconciler.Scripts.ScriptPolicy());

    public ServiceNode(string space, TopologyModel topology, string node)
    {
        Space = space;
        Service = VrrpService.FromTopology(topology, node, new VrrpInstanceOptions { NetworkNamespacePath = "/run/netns/" + space, Scripts = Scripts });
        foreach (var instance in Service.Instances)
        {
            instance.TransitionedImmediate += (t, at) => _transitions.Enqueue((at, t));
        }

        var failures = Service.Start();
        if (failures.Count > 0)
        {
            Service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new InvalidOperationException("VRRP instances did not start: " + string.Join("; ", failures.Select(f => $"{f.Instance}: {f.Error.Message}")));
        }
    }

    public string Space { get; }

    public string Kind => "ours (in-process service)";

    public VrrpService Service { get; }

    /// <summary>The first instance's status.</summary>
    public VrrpInstanceStatus Status => Service.GetStatus()[0];

    public IEnumerable<(DateTimeOffset At, VrrpTransition Transition)> Transitions => _transitions;

    public string? CurrentState => _transitions.LastOrDefault().Transition is { } last ? Name(last.To) : null;

    public DateTimeOffset WaitState(string state, TimeSpan timeout, DateTimeOffset? since = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var (at, transition) in _transitions)
            {
                if ((since is null || at >= since) && Name(transition.To) == state)
                {
                    return at;
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"{Kind} in {Space}: no {state} within {timeout.TotalSeconds:0.#} s; transitions: "
            + string.Join(", ", _transitions.Select(t => $"{t.Transition.From}->{t.Transition.To} ({t.Transition.Reason}, {t.Transition.EffectivePriority})")));
    }

    public bool Entered(string state, DateTimeOffset since) => _transitions.Any(t => t.At >= since && Name(t.Transition.To) == state);

    public void HardKill() => throw new NotSupportedException("an in-process service cannot be killed; use the driver (OursNode)");

    public void Stop() => Service.Release();

    public void Dispose() => Service.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string? Name(VrrpState state) => VrrpNotifyArguments.StateName(state);
}
