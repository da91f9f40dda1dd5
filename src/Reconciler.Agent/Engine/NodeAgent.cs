using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Agent.Metrics;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Triggers;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.Health;
using Reconciler.Ipvs;
using Reconciler.Vrrp;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;

namespace Reconciler.Agent.Engine;

/// <summary>
/// One node's agent, minus the hosting: git source -> validation -> planner -> apply, with the health checker's
/// weights and the VRRP roles layered over the topology. <see cref="PollAsync"/> and <see cref="Reconcile"/> are
/// driven by <see cref="Hosting.AgentService"/> (timers, signals, the endpoint); everything they do is reported
/// through <see cref="GetStatus"/>, <see cref="WriteMetrics"/>, the log and the audit journal.
/// <para>Rules it keeps: nothing is applied before a topology has loaded completely; a refused commit or an
/// unreachable server leaves the last good topology in force; a topology that does not name this node is applied
/// to nothing (never read as "delete everything"); services bound to a VRRP instance are held as they are until
/// the instance's role is known, so a restart with a matching kernel costs zero operations.</para>
/// </summary>
public sealed partial class NodeAgent : IAsyncDisposable
{
    private const int MaxErrors = 20;

    /// <summary>Warnings (or errors) of one commit logged one by one; the rest are counted in one line. A generated
    /// topology can carry one warning per service: ten thousand log lines help nobody (<c>reconciler validate</c>
    /// lists them all).</summary>
    internal const int MaxLoggedDiagnostics = 20;

    /// <summary>How many times one reconcile plans again because a VRRP role moved meanwhile; the transition has
    /// queued a reconcile of its own anyway, so this only shortens the window of a stale plan.</summary>
    private const int MaxReplansForRoleChange = 3;

    /// <summary>How long a stop waits for the health checker's shutdown notify commands (keepalived's <c>omega</c>).</summary>
    private static readonly TimeSpan ShutdownNotifyTimeout = TimeSpan.FromSeconds(10);

    private readonly AgentSettings _settings;
    private readonly AgentEdges _edges;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly NodeReconciler _reconciler;
    private readonly AuditJournal _journal;
    private readonly Lock _lock = new();
    private readonly Lock _kernelLock = new();
    private readonly List<Status.ErrorView> _errors = [];
    private readonly SemaphoreSlim _topologyGate = new(1, 1);
    private readonly DateTimeOffset _startedAt;

    private GoodRevision? _revision;
    private Task? _restore;
    private string? _auditedCommit;
    private string? _failedCommit;
    private string? _refusedCommit;
    private PollResult.Rejected? _rejected;
    private HealthMonitor? _health;
    private HealthNotifier? _healthNotifier;
    private IVrrpRuntime? _vrrp;
    private VrrpFootprint? _vrrpFootprint;
    private Status.ReconcileView? _lastReconcile;
    private Status.KernelWeights? _lastKernel;
    private ExecutedPlan? _lastExecuted;
    private bool _stopped;
    private int _disposed;

    public NodeAgent(AgentSettings settings, AgentEdges edges, TimeProvider time, ILoggerFactory loggers)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _edges = edges ?? throw new ArgumentNullException(nameof(edges));
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<NodeAgent>();
        _reconciler = new NodeReconciler(edges.Ipvs, edges.Addresses, edges.Sysctl, edges.Routes, new FileOwnershipStore(settings.OwnershipPath), time);
        _journal = AuditJournal.InStateDirectory(settings.StateDirectory);
        _startedAt = time.GetUtcNow();
        Trigger = new ReconcileTrigger(time, settings.MinReconcileInterval);
        _auditedCommit = LastJournaledCommit();
    }

    /// <summary>The commit this node last journaled as reconciled, so a restart does not journal it again. Only the
    /// journal's tail is read: it grows for the life of the node.</summary>
    private string? LastJournaledCommit()
    {
        try
        {
            return _journal.FindLast(e => e.Node == _settings.Node && e.Outcome != AuditOutcome.Rejected)?.Commit;
        }
        catch (AuditJournalException)
        {
            return null;
        }
    }

    /// <summary>Every reason to reconcile goes through here (coalesced, rate-limited).</summary>
    public ReconcileTrigger Trigger { get; }

    public AgentMetrics Metrics { get; } = new();

    /// <summary>The topology in force and the commit it came from; null until the first one loaded.</summary>
    public GoodRevision? Revision => Volatile.Read(ref _revision);

    /// <summary>
    /// At start, before the first poll: puts the last good revision kept in the state folder in force, so a restarted
    /// node serves and takes part in VRRP at once instead of after the repository answered (or, unreachable, after
    /// its timeout). The first poll then moves it on as any poll does. Nothing happens when there is none or a
    /// revision is already in force.
    /// </summary>
    /// <remarks>Once per agent: a second call (the host starts it, the poll loop waits for it) gets the first's task.
    /// The restore runs on the thread pool, never under the lock that makes it once.</remarks>
    public Task RestoreAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _restore ??= Task.Run(() => RestoreOnceAsync(cancellationToken), CancellationToken.None);
        }
    }

    private async Task RestoreOnceAsync(CancellationToken cancellationToken)
    {
        if (Revision is not null || await _edges.Source.RestoreAsync(cancellationToken).ConfigureAwait(false) is not { } restored || Revision is not null)
        {
            return;
        }

        LogRestored(restored.Commit.ShortSha, restored.Commit.Subject);
        await AdoptAsync(restored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the repository for a new commit and adopts it when it is good. Never throws for a source,
    /// topology or VRRP start problem: those are reported and the last good state stays.</summary>
    public async Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        var result = await _edges.Source.PollAsync(cancellationToken).ConfigureAwait(false);
        Metrics.RecordPoll(result is PollResult.Unreachable);
        switch (result)
        {
            case PollResult.NewValid valid:
                LogCommitRead(valid.Commit.ShortSha, valid.Commit.Subject, valid.Timings);
                foreach (var warning in valid.Warnings.Take(MaxLoggedDiagnostics))
                {
                    LogTopologyWarning(valid.Commit.ShortSha, warning.ToString());
                }

                if (valid.Warnings.Count > MaxLoggedDiagnostics)
                {
                    LogMoreDiagnostics(valid.Commit.ShortSha, valid.Warnings.Count - MaxLoggedDiagnostics, "warnings");
                }

                await AdoptAsync(new GoodRevision(valid.Commit, valid.Topology), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _rejected, null);
                break;

            case PollResult.Rejected rejected:
                LogCommitRead(rejected.Commit.ShortSha, rejected.Commit.Subject, rejected.Timings);
                Metrics.RecordCommitRejected(rejected.Kind);
                Volatile.Write(ref _rejected, rejected);
                LogCommitRejected(rejected.Commit.ShortSha, rejected.Commit.Subject, rejected.Kind, rejected.Diagnostics.Count(d => d.IsError));
                var reasons = rejected.Reasons.ToList();
                foreach (var reason in reasons.Take(MaxLoggedDiagnostics))
                {
                    LogRejectionReason(rejected.Commit.ShortSha, reason);
                }

                if (reasons.Count > MaxLoggedDiagnostics)
                {
                    LogMoreDiagnostics(rejected.Commit.ShortSha, reasons.Count - MaxLoggedDiagnostics, "errors");
                }

                RecordError("git", $"commit {rejected.Commit.ShortSha} rejected ({rejected.Kind}): {rejected.Reasons.FirstOrDefault() ?? "no reason given"}", log: false);
                Journal(AuditEntry.For(_time.GetUtcNow(), _settings.Node, rejected.Commit, AuditOutcome.Rejected, rejected.Reasons.ToList(), rejection: rejected.Kind));
                break;

            case PollResult.Unreachable unreachable:
                LogUnreachable(unreachable.Error, unreachable.ConsecutiveFailures, unreachable.RetryAfter);
                RecordError("git", unreachable.Error, log: false);
                break;
        }

        // After a restart the source restores the last good revision from its state: adopt it even when the
        // remote did not move (or cannot be reached).
        if (Revision is null && result.Status.LastGood is { } restored)
        {
            await AdoptAsync(restored, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Makes <paramref name="revision"/> the topology in force: health checks follow it (unchanged
    /// checks keep running), VRRP is rebuilt only when this node's part of it changed, and a reconcile is asked.</summary>
    public async Task AdoptAsync(GoodRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        await _topologyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            var topology = revision.Topology;
            if (!topology.Nodes.Any(n => n.Name == _settings.Node))
            {
                RecordError("topology", $"commit {revision.Commit.ShortSha} does not name node '{_settings.Node}': nothing is applied on this node until one does");
            }

            // Before the checks and VRRP start, so their first reads see the value (keepalived writes it while it
            // reads its configuration).
            foreach (var problem in _edges.TrackedFiles?.Initialize(topology, atStart: _health is null) ?? [])
            {
                RecordError("track_file", problem);
            }

            _edges.Mail?.Update(MailSettingsFor(topology.Mail, _settings.Node));
            if (_health is null)
            {
                _healthNotifier = new HealthNotifier(_edges.Scripts, _loggers.CreateLogger("Reconciler.Health.Notify"), mail: _edges.Mail);
                _healthNotifier.Update(topology);
                _health = new HealthMonitor(topology, _settings.Node, _time, _loggers, new HealthMonitorOptions { ProbeFactory = _edges.Probes });
                var notifier = _healthNotifier;
                _health.Changed += change =>
                {
                    notifier.OnChange(change);
                    RecordHealthEvent(change);
                    Trigger.Request("health change");
                };
                await _health.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _healthNotifier?.Update(topology);
                _health.Update(topology);
            }

            var footprint = VrrpFootprint.Of(topology, _settings.Node);
            if (!Equals(footprint, _vrrpFootprint))
            {
                if (_vrrp is not null)
                {
                    LogVrrpRebuilt(revision.Commit.ShortSha);
                    await _vrrp.DisposeAsync().ConfigureAwait(false);
                    _vrrp = null;
                }

                _vrrpFootprint = footprint;
                StartVrrp(topology);
            }

            var previous = Volatile.Read(ref _revision);
            Volatile.Write(ref _revision, revision);
            if (previous?.Commit.Sha != revision.Commit.Sha)
            {
                LogCommitAdopted(revision.Commit.ShortSha, revision.Commit.Subject, revision.Commit.Author);
                RecordEvent("commit", $"{revision.Commit.ShortSha} \"{revision.Commit.Subject}\" by {revision.Commit.Author} in force");
            }

            Trigger.Request($"commit {revision.Commit.ShortSha}");
        }
        finally
        {
            _topologyGate.Release();
        }
    }

    private void StartVrrp(TopologyModel topology)
    {
        try
        {
            _vrrp = _edges.Vrrp.Create(topology, _settings.Node);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RecordError("vrrp", $"VRRP could not be set up: {e.Message}");
            return;
        }

        if (_vrrp is null)
        {
            return;
        }

        lock (_standbyLock)
        {
            if (LoadStandby() is { Count: > 0 } standby)
            {
                _vrrp.SetStandby(standby, standby: true);
            }
        }

        _vrrp.Transitioned += () =>
        {
            RecordVrrpEvents();
            Trigger.Request("vrrp transition");
        };
        _vrrp.TookOverFromSilentMaster += WithdrawSilentMastersRealServers;
        foreach (var (instance, error) in _vrrp.Start())
        {
            RecordError("vrrp", $"instance {instance} did not start: {error.Message}");
        }
    }

    /// <summary>
    /// This node became MASTER because the master it heard stopped advertising (not on its priority-0 goodbye): that
    /// director is dead, cut off or partitioned away, and a real server at one of its addresses most likely went with
    /// it, while its check would need its whole fall count to say so. Its real servers are withdrawn at once, as a
    /// failed check would (health overlay: plan, status and log say why), and come back through their checks: within
    /// a check interval when the peer is alive (a partition of the VRRP network only), never while it is dead. Runs on
    /// the router's thread before the reconcile the transition asks for, so the takeover's first plan has them out.
    /// </summary>
    private void WithdrawSilentMastersRealServers(Reconciler.Vrrp.VrrpTransition transition)
    {
        var topology = Volatile.Read(ref _revision)?.Topology;
        if (topology is null || _health is not { } health || transition.FormerMaster is not { } address)
        {
            return;
        }

        var peer = topology.Nodes.FirstOrDefault(n => n.Name != _settings.Node && n.Addresses.Contains(address));
        if (peer is null)
        {
            LogSilentMasterUnknown(transition.InstanceName, address.ToString());
            return;
        }

        var reason = $"director {peer.Name} ({address}) stopped advertising VRRP {transition.InstanceName}: withdrawn at takeover until its check passes";
        var withdrawn = health.Withdraw(peer.Addresses, reason);
        LogWithdrewSilentMaster(transition.InstanceName, peer.Name, address.ToString(), withdrawn.Count == 0 ? "none (no checked real server at its addresses is up)" : string.Join(", ", withdrawn));
    }

    /// <summary>
    /// One reconcile: the desired state from the topology in force with the current health and VRRP roles, the
    /// live state read fresh, the plan between them, and (when it has changes) its execution. Runs on the caller's
    /// thread; the agent calls it from one loop only.
    /// </summary>
    public Status.ReconcileView Reconcile(IReadOnlyList<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var revision = Revision;
        if (revision is null || _stopped)
        {
            Metrics.RecordSkipped();
            return Remember(new Status.ReconcileView(_time.GetUtcNow(), reasons, 0, null, 0, 0, 0, revision is null ? "skipped: no topology loaded yet" : "skipped: stopping"));
        }

        if (!revision.Topology.Nodes.Any(n => n.Name == _settings.Node))
        {
            Metrics.RecordSkipped();
            return Remember(new Status.ReconcileView(_time.GetUtcNow(), reasons, 0, revision.Commit.Sha, 0, 0, 0, $"skipped: node '{_settings.Node}' is not in the topology"));
        }

        var started = Stopwatch.GetTimestamp();
        using var kernel = _kernelLock.EnterScope();
        try
        {
            var roles = CurrentRoles();
            var planned = _reconciler.PlanNow(Desired(revision.Topology, roles), _settings.DrainTimeout);
            var read = Stopwatch.GetTimestamp();
            var desiredAtRead = planned.Desired;

            // VRRP runs on its own: it may have changed role while this plan was made (seconds, for a first reconcile
            // under emulation). A plan for the old role would take the services off a node that has just become
            // MASTER (or keep them on one that left): plan again for the role as it is now, against the same read
            // (the VIPs are the router's; everything this plan covers has one writer, this loop).
            for (int replan = 0; replan < MaxReplansForRoleChange && !SameRoles(roles, CurrentRoles()); replan++)
            {
                roles = CurrentRoles();
                LogReplanForRoleChange(string.Join(", ", roles.Select(r => $"{r.Key} {r.Value}")));
                planned = _reconciler.Replan(planned, Desired(revision.Topology, roles));
            }

            var plan = planned.Plan with { Revision = revision.Commit.Sha };
            planned = planned with { Plan = plan };
            var live = planned.Observed;
            // The topology-only desired state the limit needs is built only for a plan that deletes a service.
            if (!_settings.AllowMassRemoval && plan.Steps.Any(s => s is ServiceStep { Action: StepAction.Delete })
                && RemovalLimit.Default.Check(plan, live, DeclaredServices(revision.Topology)) is { } refusal)
            {
                return RefuseMassRemoval(revision, reasons, started, refusal);
            }

            var failures = new List<string>();
            if (plan.HasChanges)
            {
                var planTime = Stopwatch.GetTimestamp();
                LogPlan(plan.Steps.Count, string.Join(", ", reasons), plan.Summary.ToString());
                var outcome = ApplyAndLog(planned);
                failures.AddRange(outcome.Result.Steps.Where(r => !r.Succeeded).Select(r => r.Error ?? r.Step.Target));
                LogApplied(
                    plan.Steps.Count - failures.Count,
                    failures.Count,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(started, read).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(read, planTime).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(planTime).TotalMilliseconds);
                live = outcome.After ?? live;
                KeepExecuted(ExecutedPlan.Of(_time.GetUtcNow(), plan));
            }

            Volatile.Write(ref _lastKernel, Status.KernelWeights.Of(live));
            var reasserted = ReassertMissingVrrpAddresses(desiredAtRead, live, reasons);
            var failed = failures.Count;
            var elapsed = Stopwatch.GetElapsedTime(started);
            Metrics.RecordReconcile(elapsed, failed > 0);
            var result = failed > 0 ? $"{failed} of {plan.Steps.Count} operations failed: {string.Join("; ", failures.Take(3))}{(failed > 3 ? "; ..." : "")}"
                : plan.HasChanges ? "applied" : "no changes";
            var view = new Status.ReconcileView(_time.GetUtcNow(), reasons, elapsed.TotalMilliseconds, revision.Commit.Sha, plan.Steps.Count - failed, failed, plan.Summary.Drift + reasserted, result);
            AuditReconcile(revision, plan, view, failures);
            if (failed > 0)
            {
                // Each failure has its own log line (the step log); /status keeps the first ones.
                foreach (var failure in failures.Take(3))
                {
                    RecordError("apply", failure, log: false);
                }

                RecordError("apply", $"{failed} of {plan.Steps.Count} operations failed; the next reconcile plans again from what is true then");
                Trigger.Request("retry after failed operations");
            }

            return Remember(view);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reading the node or loading the ownership record failed: nothing was planned or applied; the traffic
            // stays as the kernel has it.
            var elapsed = Stopwatch.GetElapsedTime(started);
            Metrics.RecordReconcile(elapsed, failed: true);
            RecordError("reconcile", $"reading the node failed, nothing was changed: {e.Message}");
            var view = new Status.ReconcileView(_time.GetUtcNow(), reasons, elapsed.TotalMilliseconds, revision.Commit.Sha, 0, 0, 0, "failed: " + e.Message);
            if (_auditedCommit != revision.Commit.Sha && _failedCommit != revision.Commit.Sha)
            {
                // Once per commit: the drift timer retrying the same failure must not flood the journal.
                _failedCommit = revision.Commit.Sha;
                Journal(AuditEntry.For(view.Time, _settings.Node, revision.Commit, AuditOutcome.Failed, [.. reasons], null, 0, 0, view.Result));
            }

            return Remember(view);
        }
    }

    /// <summary>The services the topology declares for this node, whatever its VRRP roles and health say now.</summary>
    private HashSet<ServiceKey> DeclaredServices(TopologyModel topology) =>
        DesiredStateBuilder.Build(topology, _settings.Node, RuntimeOverlay.None).Services.Select(s => s.Service.Key).ToHashSet();

    /// <summary>
    /// The plan would delete more of what this node runs than the safety limit allows, because of what the topology
    /// says (a truncated file, a wrong path, a commit accepted after the agent lost its record of the last good one):
    /// nothing is changed, and it is said once per commit in the log, <c>/status</c>, the metrics and the journal.
    /// </summary>
    private Status.ReconcileView RefuseMassRemoval(GoodRevision revision, IReadOnlyList<string> reasons, long started, string refusal)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        Metrics.RecordReconcile(elapsed, failed: true);
        Metrics.RecordPlanRefused();
        var view = new Status.ReconcileView(_time.GetUtcNow(), reasons, elapsed.TotalMilliseconds, revision.Commit.Sha, 0, 0, 0, "refused: " + refusal);
        if (_refusedCommit != revision.Commit.Sha)
        {
            _refusedCommit = revision.Commit.Sha;
            RecordError("safety-limit", $"commit {revision.Commit.ShortSha}: {refusal}; nothing was changed. Correct the topology, or allow it with allowMassRemoval");
            Journal(AuditEntry.For(view.Time, _settings.Node, revision.Commit, AuditOutcome.Rejected, [.. reasons, "plan refused: " + refusal], null, 0, 0, view.Result));
        }

        return Remember(view);
    }

    /// <summary>
    /// The VRRP addresses, routes and rules this node holds as MASTER (by the roles the node was read with) that the
    /// read did not find: someone removed one by hand. The instance's router, their one writer, puts them back and announces them (it
    /// does nothing if it has left MASTER meanwhile). Counted and logged as drift. Returns how many came back.
    /// </summary>
    private int ReassertMissingVrrpAddresses(DesiredState desired, ObservedState live, IReadOnlyList<string> reasons)
    {
        if (_vrrp is null)
        {
            return 0;
        }

        var repaired = 0;
        var missing = desired.MissingVrrpAddresses(live).Select(a => (a.Instance, What: $"{a.Address} on {a.Interface}"))
            .Concat(desired.MissingVrrpRoutes(live).Select(r => (Instance: r.Instance!, What: "route " + Planning.Plans.RouteText.Format(r.Route))))
            .Concat(desired.MissingVrrpRules(live).Select(r => (Instance: r.Instance!, What: "rule " + Planning.Plans.RouteText.Format(r.Rule))));
        foreach (var instance in missing.GroupBy(a => a.Instance, StringComparer.Ordinal))
        {
            if (_vrrp.ReassertVirtualAddresses(instance.Key))
            {
                var count = instance.Count();
                repaired += count;
                Metrics.RecordDriftRepaired(count);
                LogVrrpAddressesReasserted(instance.Key, string.Join(", ", instance.Select(a => a.What)), string.Join(", ", reasons));
            }
        }

        return repaired;
    }

    /// <summary>What this node should hold now: the one desired-state function, with the roles and health as they
    /// are (the inputs <c>GET /overlay</c> serves to <c>reconciler plan</c>).</summary>
    private DesiredState Desired(TopologyModel topology, IReadOnlyDictionary<string, VrrpRole> roles) =>
        DesiredStateBuilder.Build(topology, _settings.Node, Overlay(roles));

    private RuntimeOverlay Overlay(IReadOnlyDictionary<string, VrrpRole> roles) =>
        new(roles, _health?.Current ?? (IHealthOverlay)NoHealthOverlay.Instance);

    /// <summary>The runtime inputs of this node's desired state now, as data (<c>GET /overlay</c>); null before a
    /// topology is in force.</summary>
    public OverlaySnapshot? GetOverlay() =>
        Revision is { } revision ? OverlaySnapshot.Capture(revision.Topology, _settings.Node, Overlay(CurrentRoles()), _settings.DrainTimeout) : null;

    /// <summary>The last plan this agent executed (with changes), in <c>plan --json</c>'s form.</summary>
    public ExecutedPlan? LastExecutedPlan => Volatile.Read(ref _lastExecuted);

    /// <summary>Keeps <paramref name="executed"/> for <c>/plan</c>. A big one is compacted off the reconcile loop; then,
    /// the plan and the reconcile's reads being garbage, a compacting collection gives their memory back to the
    /// system (the collector would otherwise keep the hundreds of MB a 10,000-service first apply went through).</summary>
    private void KeepExecuted(ExecutedPlan executed)
    {
        Volatile.Write(ref _lastExecuted, executed);
        if (executed.Steps <= ExecutedPlan.KeptStepsLimit)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            // A newer plan kept meanwhile wins.
            Interlocked.CompareExchange(ref _lastExecuted, executed.Compact(), executed);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        });
    }

    private IReadOnlyDictionary<string, VrrpRole> CurrentRoles() => VrrpRoles.Of(_vrrp?.GetStatus() ?? []);

    private static bool SameRoles(IReadOnlyDictionary<string, VrrpRole> planned, IReadOnlyDictionary<string, VrrpRole> now) =>
        planned.Count == now.Count && planned.All(r => now.TryGetValue(r.Key, out var role) && role == r.Value);

    /// <summary>Executes <paramref name="planned"/>, counting every step in the metrics and logging them as
    /// <see cref="CondensedStepLog"/> decides: each one for a small plan, the first few and a summary for a large one,
    /// and every failure on its own line.</summary>
    private ApplyOutcome ApplyAndLog(NodePlan planned)
    {
        var log = new CondensedStepLog(planned.Plan.Steps.Count);
        var outcome = _reconciler.Apply(planned, result => OnStep(result, log));
        if (log.Remainder() is { } remainder)
        {
            LogStepsSummarized(remainder);
        }

        return outcome;
    }

    private void OnStep(StepResult result, CondensedStepLog log)
    {
        Metrics.RecordStep(result.Step, result.Succeeded);
        if (!log.GetsOwnLine(result))
        {
            return;
        }

        if (result.Succeeded)
        {
            var why = result.Step.IsDrift ? "drift" + (result.Step.Reason is { } r ? ", " + r : "") : result.Step.Reason;
            LogStep(Symbol(result.Step), result.Step.Target, why is null ? "" : $" ({why})");
        }
        else
        {
            LogStepFailed(Symbol(result.Step), result.Step.Target, result.Error ?? "");
        }
    }

    private static string Symbol(PlanStep step) => step.Action switch
    {
        StepAction.Create => "+",
        StepAction.Delete => "-",
        StepAction.Drain => "~ drain",
        _ => "~",
    };

    /// <summary>The journal gets one entry per commit the first time it is reconciled (even with no operations), and
    /// one for every later reconcile that changed something (drift, health, VRRP), with its reasons.</summary>
    private void AuditReconcile(GoodRevision revision, Plan plan, Status.ReconcileView view, IReadOnlyList<string> failures)
    {
        var firstForCommit = _auditedCommit != revision.Commit.Sha;
        if (!firstForCommit && !plan.HasChanges)
        {
            return;
        }

        if (firstForCommit)
        {
            Metrics.RecordCommitApplied();
            _auditedCommit = revision.Commit.Sha;
        }

        // A commit whose first reconcile failed after changing the kernel finds nothing left to do on the retry:
        // that completes it (Applied), it was not a commit without changes for this node (Skipped).
        var completesFailure = _failedCommit == revision.Commit.Sha;
        var outcome = view.Failed > 0 ? AuditOutcome.Failed
            : firstForCommit && !plan.HasChanges && !completesFailure ? AuditOutcome.Skipped
            : AuditOutcome.Applied;
        var reasons = view.Reasons.ToList();
        if (outcome == AuditOutcome.Skipped)
        {
            reasons.Add("no changes for this node");
        }
        else if (completesFailure && !plan.HasChanges)
        {
            reasons.Add("completes the reconcile that failed earlier");
        }

        reasons.AddRange(failures.Take(10).Select(f => "failed: " + f));

        Journal(AuditEntry.For(view.Time, _settings.Node, revision.Commit, outcome, reasons, AuditEntry.Summarize(plan), view.Operations, view.Failed, view.Result));
    }

    private void Journal(AuditEntry entry)
    {
        try
        {
            _journal.Append(entry);
        }
        catch (AuditJournalException e)
        {
            RecordError("audit", e.Message);
        }
    }

    private Status.ReconcileView Remember(Status.ReconcileView view)
    {
        Volatile.Write(ref _lastReconcile, view);
        RecordReconcileEvent(view);
        return view;
    }

    /// <summary>Keeps the error for <c>/status</c> and logs it (unless the caller has logged it already): nothing the
    /// agent records goes to <c>/status</c> only.</summary>
    private void RecordError(string source, string message, bool log = true)
    {
        if (log)
        {
            LogRecordedError(source, message);
        }

        RecordEvent("error", $"{source}: {message}");
        lock (_lock)
        {
            _errors.Add(new Status.ErrorView(_time.GetUtcNow(), source, message));
            if (_errors.Count > MaxErrors)
            {
                _errors.RemoveAt(0);
            }
        }
    }

    /// <summary>The first thing to do on SIGTERM, from the signal handler itself: every MASTER instance sends priority
    /// 0 (the peer takes over at once) and drops its VIPs, before the host's orderly shutdown begins.</summary>
    public void ReleaseVrrp() => Volatile.Read(ref _vrrp)?.Release();

    /// <summary>Null while the VRRP instances' receive loops (if any run) come round within <paramref name="within"/>.</summary>
    public string? WhyVrrpNotResponsive(TimeSpan within) => Volatile.Read(ref _vrrp)?.WhyNotResponsive(within);

    /// <summary>
    /// Stops the agent: VRRP first (priority 0 from every master, so the peer takes over at once, and the VIPs go),
    /// then the health checks. IPVS is left as it is, unless <see cref="AgentSettings.CleanupOnStop"/>: then what
    /// the agent owns is removed too.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _topologyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (_vrrp is not null)
            {
                await _vrrp.DisposeAsync().ConfigureAwait(false);
                _vrrp = null;
            }

            if (_health is not null)
            {
                await _health.StopAsync(cancellationToken).ConfigureAwait(false);
                // keepalived's omega: the down commands of what is up, for the services that ask for them.
                await _healthNotifier!.NotifyShutdownAsync(_health.Current, ShutdownNotifyTimeout).ConfigureAwait(false);
            }

            if (_settings.CleanupOnStop)
            {
                using var kernel = _kernelLock.EnterScope();
                var outcome = ApplyAndLog(_reconciler.PlanNow(DesiredState.Empty(_settings.Node), TimeSpan.Zero));
                LogCleanedUp(outcome.Result.Succeeded, outcome.Result.Failed);
            }
        }
        finally
        {
            _topologyGate.Release();
        }
    }

    /// <summary>Stops (as <see cref="StopAsync"/>) and closes the edges. Idempotent: the host's container disposes the
    /// agent it built, and a caller that disposes it again must not find a closed gate.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }

        if (_healthNotifier is not null)
        {
            await _healthNotifier.DisposeAsync().ConfigureAwait(false);
        }

        if (_edges.Mail is not null)
        {
            // After VRRP and the health checker: their last alerts (STOP) are queued by now.
            await _edges.Mail.DisposeAsync().ConfigureAwait(false);
        }

        _edges.Source.Dispose();
        _topologyGate.Dispose();
    }

    /// <summary>The topology's mail block as this node sends it: its name as the subject's router id, the default
    /// sender and HELO name.</summary>
    internal static Reconciler.Scripts.Mail.MailSettings? MailSettingsFor(Topology.Model.MailAlerts? mail, string node) => mail is null
        ? null
        : new(mail.Server, mail.Port, mail.FromFor(node), mail.To, mail.HeloName ?? node, mail.ConnectTimeout, node, mail.Vrrp, mail.Checkers);
}

/// <summary>This node's part of the VRRP configuration: when it is unchanged by a commit, the routers keep running
/// (keepalived's reload keeps state the same way).</summary>
internal sealed record VrrpFootprint(IReadOnlyList<Topology.Model.VrrpInstance> Instances, IReadOnlyList<Topology.Model.TrackedCheck> Checks, Topology.Model.Node? Node,
    IReadOnlyList<Topology.Model.VrrpSyncGroup> SyncGroups)
{
    public static VrrpFootprint Of(TopologyModel topology, string node)
    {
        var instances = topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(node)).ToList();
        return new(
            instances,
            topology.Checks.ToList(),
            topology.Nodes.FirstOrDefault(n => n.Name == node),
            topology.SyncGroups.Where(g => g.Instances.Any(member => instances.Any(i => i.Name == member))).ToList());
    }

    public bool Equals(VrrpFootprint? other) =>
        other is not null && Instances.SequenceEqual(other.Instances) && Checks.SequenceEqual(other.Checks) && Equals(Node, other.Node)
        && SyncGroups.SequenceEqual(other.SyncGroups);

    public override int GetHashCode() => HashCode.Combine(Instances.Count, Checks.Count, Node);
}

/// <summary>VRRP states as the planner's roles. A BACKUP that has not heard a master yet is not known to be one:
/// its services are held as they are until it has (or becomes MASTER), so a restart does not tear them down.</summary>
public static class VrrpRoles
{
    public static IReadOnlyDictionary<string, VrrpRole> Of(IReadOnlyList<VrrpInstanceStatus> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        return instances.ToDictionary(i => i.Instance, RoleOf, StringComparer.Ordinal);
    }

    public static VrrpRole RoleOf(VrrpInstanceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State switch
        {
            Vrrp.VrrpState.Master => VrrpRole.Master,
            Vrrp.VrrpState.Fault => VrrpRole.Fault,
            Vrrp.VrrpState.Backup when status.MasterAddress is not null => VrrpRole.Backup,
            _ => VrrpRole.Unknown,
        };
    }
}
