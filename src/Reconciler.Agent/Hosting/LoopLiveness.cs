namespace Reconciler.Agent.Hosting;

/// <summary>
/// Whether the agent's loops are alive, for the systemd watchdog: each loop says when it starts a unit of work (a
/// poll, a reconcile) and when it is back to waiting. Waiting is alive however long it lasts (the reconcile loop may
/// wait for a trigger for hours); a unit of work that runs longer than <see cref="StuckAfter"/> is a stuck loop, and
/// a loop that ended while the agent runs is a dead one. The VRRP receive threads report through
/// <c>IVrrpRuntime.IsResponsive</c>.
/// </summary>
public sealed class LoopLiveness(TimeProvider time, TimeSpan stuckAfter)
{
    private readonly Dictionary<string, Loop> _loops = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TimeSpan StuckAfter { get; } = stuckAfter;

    /// <summary>The loop <paramref name="name"/> started a unit of work.</summary>
    public void Busy(string name) => Set(name, new Loop(LoopState.Busy, time.GetTimestamp()));

    /// <summary>The loop <paramref name="name"/> is waiting for its next unit of work.</summary>
    public void Idle(string name) => Set(name, new Loop(LoopState.Idle, time.GetTimestamp()));

    /// <summary>The loop <paramref name="name"/> ended: unless the agent is stopping, it is dead.</summary>
    public void Ended(string name) => Set(name, new Loop(LoopState.Ended, time.GetTimestamp()));

    /// <summary>Why the agent is not alive (<c>the poll loop is stuck: busy for 6m</c>), or null when every loop is.</summary>
    public string? WhyNotAlive()
    {
        lock (_lock)
        {
            foreach (var (name, loop) in _loops.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                if (loop.State == LoopState.Ended)
                {
                    return $"the {name} loop has ended";
                }

                if (loop.State == LoopState.Busy && time.GetElapsedTime(loop.Since) is var busy && busy > StuckAfter)
                {
                    var seconds = TimeSpan.FromSeconds(Math.Floor(busy.TotalSeconds));
                    return $"the {name} loop is stuck: one unit of work has run for {Topology.Durations.Format(seconds)} (the bound is {Topology.Durations.Format(StuckAfter)})";
                }
            }

            return null;
        }
    }

    private void Set(string name, Loop loop)
    {
        lock (_lock)
        {
            _loops[name] = loop;
        }
    }

    private enum LoopState
    {
        Idle,
        Busy,
        Ended,
    }

    private readonly record struct Loop(LoopState State, long Since);
}
