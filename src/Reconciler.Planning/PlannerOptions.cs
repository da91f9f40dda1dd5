namespace Reconciler.Planning;

/// <summary>
/// Knobs of a plan. <paramref name="PruneUnmanaged"/> deletes services nobody claims (off by default: another
/// tool's services are left alone). A leaving TCP real server drains at weight 0 until its connections end or
/// <paramref name="DrainTimeout"/> passes. <paramref name="Now"/> is when the plan is made.
/// </summary>
public sealed record PlannerOptions(DateTimeOffset Now, TimeSpan DrainTimeout, bool PruneUnmanaged = false)
{
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromMinutes(5);

    public static PlannerOptions At(DateTimeOffset now) => new(now, DefaultDrainTimeout);
}
