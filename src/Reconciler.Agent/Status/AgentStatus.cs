namespace Reconciler.Agent.Status;

/// <summary>What <c>GET /status</c> returns and <c>reconciler status</c> prints: a snapshot, JSON-ready.</summary>
public sealed record AgentStatus(
    string Node,
    DateTimeOffset StartedAt,
    DateTimeOffset Now,
    SourceView Source,
    ReconcileView? LastReconcile,
    IReadOnlyList<VrrpView> Vrrp,
    IReadOnlyList<ServiceView> Services,
    IReadOnlyList<ErrorView> Errors)
{
    /// <summary>What happened lately (<see cref="RecentEvents"/>), newest first; errors are among them.</summary>
    public IReadOnlyList<EventView> Events { get; init; } = [];
}

/// <summary>The topology source: the commit in force, and the newest one that was refused, with which check refused
/// it (<paramref name="RejectedKind"/>: invalid, signature, safety-limit, not-fast-forward) and every reason.</summary>
public sealed record SourceView(
    string Repository,
    string Ref,
    string Condition,
    CommitView? Applied,
    CommitView? Rejected,
    IReadOnlyList<string> RejectedReasons,
    string? Message,
    DateTimeOffset? NextAttemptAt,
    string? RejectedKind = null);

public sealed record CommitView(string Sha, string Subject, string Author, DateTimeOffset Time);

public sealed record ReconcileView(
    DateTimeOffset Time,
    IReadOnlyList<string> Reasons,
    double DurationMilliseconds,
    string? Commit,
    int Operations,
    int Failed,
    int Drift,
    string Result);

public sealed record VrrpView(
    string Instance,
    string Interface,
    int VirtualRouterId,
    int Version,
    string State,
    string Role,
    int Priority,
    int EffectivePriority,
    string? Master,
    DateTimeOffset? LastTransition,
    string? LastReason,
    long AdvertsSent,
    long AdvertsReceived,
    long Dropped,
    IReadOnlyDictionary<string, long> DroppedByReason,
    IReadOnlyDictionary<string, bool?> Checks)
{
    /// <summary>On standby after <c>reconciler handover</c> (priority 1 until <c>reconciler handover --resume</c>).</summary>
    public bool Standby { get; init; }

    /// <summary>The instance synchronises connections (<c>connectionSync</c>): its nodes run the kernel's sync daemons
    /// and keep its services whatever the role.</summary>
    public bool SyncsConnections { get; init; }

    /// <summary>The sync group the instance fails over with (<c>vrrpSyncGroups</c>), or null.</summary>
    public string? SyncGroup { get; init; }

    /// <summary>The sync group's state as a whole on this node: FAULT while any member is, MASTER or BACKUP once all are.</summary>
    public string? SyncGroupState { get; init; }

    /// <summary>In a sync group: this member wants MASTER and waits, as BACKUP, for every other member to want it.</summary>
    public bool WantsMaster { get; init; }
}

public sealed record ServiceView(
    string Name,
    string Endpoint,
    string? VrrpInstance,
    bool InKernel,
    string? Health,
    IReadOnlyList<RealServerView> RealServers);

public sealed record RealServerView(
    string Endpoint,
    int ConfiguredWeight,
    int? EffectiveWeight,
    int? KernelWeight,
    string Health,
    string? Detail,
    DateTimeOffset? Since)
{
    /// <summary>The kernel's active connections to this real server at the last read (null: not read, or not in the
    /// kernel).</summary>
    public long? ActiveConnections { get; init; }

    /// <summary>The kernel's inactive connections (TIME_WAIT, FIN_WAIT and the like) at the last read.</summary>
    public long? InactiveConnections { get; init; }
}

public sealed record ErrorView(DateTimeOffset Time, string Source, string Message);
