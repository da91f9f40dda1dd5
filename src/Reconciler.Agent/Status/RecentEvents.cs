namespace Reconciler.Agent.Status;

/// <summary>One thing that happened on the node, for the status page's "recent events": a commit put in force or
/// refused, a reconcile that changed something, a VRRP transition, a real server going down or up, an error.</summary>
/// <param name="Kind">What it is about: <c>commit</c>, <c>reconcile</c>, <c>vrrp</c>, <c>health</c>,
/// or <c>error</c> (a refused commit is one).</param>
public sealed record EventView(DateTimeOffset Time, string Kind, string Message);

/// <summary>
/// The last <see cref="Capacity"/> events, oldest dropped first; safe from any thread. Bounded on purpose: a mass
/// failure at 1,000 services is 10,000 health changes, and the page and the agent's memory want the latest only (the
/// log and the audit journal keep everything).
/// </summary>
public sealed class RecentEvents
{
    public const int Capacity = 100;

    private readonly EventView[] _ring = new EventView[Capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public void Add(DateTimeOffset time, string kind, string message)
    {
        var entry = new EventView(time, kind, message);
        lock (_lock)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The events kept, newest first.</summary>
    public IReadOnlyList<EventView> Newest()
    {
        lock (_lock)
        {
            var events = new EventView[_count];
            for (int i = 0; i < _count; i++)
            {
                events[i] = _ring[(_next - 1 - i + Capacity) % Capacity];
            }

            return events;
        }
    }
}
