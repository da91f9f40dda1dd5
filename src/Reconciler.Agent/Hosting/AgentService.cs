using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Settings;
using Reconciler.GitSource.Source;

namespace Reconciler.Agent.Hosting;

/// <summary>
/// Drives a <see cref="NodeAgent"/>: the poll loop (every poll interval, at once on SIGHUP or POST /reconcile, with
/// the source's backoff while the server is unreachable), the drift timer, and the one reconcile loop that takes
/// the coalesced triggers. On stop, the agent is stopped first (VRRP releases with priority 0) and then the loops.
/// A loop that dies (an unexpected exception, or an end while the agent runs) stops the host, and the process exits
/// non-zero (<see cref="FailedLoop"/>) so that systemd's <c>Restart=on-failure</c> starts a fresh agent; each loop
/// reports to <see cref="LoopLiveness"/> when it works and when it waits, for the systemd watchdog.
/// </summary>
public sealed partial class AgentService(
    NodeAgent agent, AgentSettings settings, LoopLiveness liveness, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<AgentService> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _pollNow = new(0, 1);
    private PosixSignalRegistration? _sighup;
    private PosixSignalRegistration? _sigterm;
    private volatile bool _faulted;

    /// <summary>False once a loop died of an unexpected exception (<c>/healthz</c> then answers 503).</summary>
    public bool Healthy => !_faulted;

    private string? _failedLoop;

    /// <summary>The loop whose death stopped the agent, or null: the process then exits non-zero.</summary>
    public string? FailedLoop => Volatile.Read(ref _failedLoop);

    /// <summary>Polls the repository now (and so reconciles), as SIGHUP and a webhook's POST do.</summary>
    public void PollNow(string reason)
    {
        agent.Trigger.Request(reason);
        try
        {
            _pollNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A poll is already pending: this request rides on it.
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            LogSignal("SIGHUP");
            PollNow("SIGHUP");
        });
        // Not cancelled: the host's own SIGTERM handling still runs the orderly stop after this.
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => agent.ReleaseVrrp());
        LogStarting(settings.Node, settings.Repository.Url, settings.Repository.Rev ?? settings.Repository.Branch, settings.Repository.Path, settings.PollInterval);
        return Task.WhenAll(
            Guard("poll", () => PollLoopAsync(stoppingToken), stoppingToken),
            Guard("reconcile", () => ReconcileLoopAsync(stoppingToken), stoppingToken),
            Guard("drift", () => DriftLoopAsync(stoppingToken), stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _sighup?.Dispose();
        _sigterm?.Dispose();
        LogStopping();
        await agent.StopAsync(cancellationToken).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _sighup?.Dispose();
        _sigterm?.Dispose();
        _pollNow.Dispose();
        base.Dispose();
    }

    private async Task PollLoopAsync(CancellationToken stop)
    {
        try
        {
            await agent.RestoreAsync(stop).ConfigureAwait(false);
        }
        catch (GitSourceException e)
        {
            LogSourceFailed(e.Message); // the polls below report it again, and go on without
        }

        while (!stop.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            TimeSpan? backoff = null;
            liveness.Busy("poll");
            try
            {
                var result = await agent.PollAsync(stop).ConfigureAwait(false);
                if (result is PollResult.Unreachable unreachable && unreachable.RetryAfter < settings.PollInterval)
                {
                    backoff = unreachable.RetryAfter; // counted from the failure, like any backoff
                }
            }
            catch (GitSourceException e)
            {
                LogSourceFailed(e.Message);
            }

            var delay = backoff ?? NextPollDelay(settings.PollInterval, time.GetElapsedTime(started));
            liveness.Idle("poll");

            try
            {
                await _pollNow.WaitAsync(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Polls start one interval apart (not one interval after the previous poll ended), so a commit waits half an
    /// interval on average whatever the server's speed; a poll that took longer than the interval is followed after a
    /// tenth of it, so a slow server is never asked back to back.
    /// </summary>
    internal static TimeSpan NextPollDelay(TimeSpan interval, TimeSpan pollTook)
    {
        var floor = interval / 10;
        var rest = interval - pollTook;
        return rest > floor ? rest : floor;
    }

    private async Task ReconcileLoopAsync(CancellationToken stop)
    {
        GoodRevision? trimmedAfter = null;
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<string> reasons;
            liveness.Idle("reconcile");
            try
            {
                reasons = await agent.Trigger.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            liveness.Busy("reconcile");
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            await Task.Run(() => agent.Reconcile(reasons), CancellationToken.None).ConfigureAwait(false);
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            if (!ReferenceEquals(agent.Revision, trimmedAfter) || allocated >= ReturnMemoryAfterBytes)
            {
                trimmedAfter = agent.Revision;
                await Task.Run(() => ReturnMemoryToTheSystem(allocated), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A reconcile that went through this much memory gives it back when it is over (see
    /// <see cref="ReturnMemoryToTheSystem"/>): a drift check at 10,000 x 10 allocates 44-55 MB (measured in the lab),
    /// one at 1,000 x 10 about a tenth of that (which the collector's young generations absorb).</summary>
    internal const long ReturnMemoryAfterBytes = 32L * 1024 * 1024;

    /// <summary>
    /// Loading a new commit (git objects, YAML, schema validation, desired state, plan) briefly needs many times the
    /// memory the agent keeps: 10,000 services take hundreds of MB in flight and a few tens after; and each reconcile of
    /// a big table (a drift check included) reads the kernel's whole table, builds the desired state and loads the
    /// ownership record, which outlive the young generations while it runs. The GC would keep that high-water mark
    /// resident until pressure came (a director has none): after a new commit, and after a reconcile that allocated
    /// <see cref="ReturnMemoryAfterBytes"/> or more, a compacting collection (large objects included) gives it back to
    /// the system, so the agent's resident size tracks what it keeps, not its last reconcile. Called after the
    /// reconcile returned, when what it built is garbage; it pauses the process for as long as a full collection of
    /// what is kept takes (logged).
    /// </summary>
    private void ReturnMemoryToTheSystem(long allocated)
    {
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogMemoryReturned(allocated / 1048576.0, before / 1048576.0, GC.GetTotalMemory(forceFullCollection: false) / 1048576.0,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task DriftLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(settings.DriftInterval, time);
        liveness.Idle("drift"); // never busy: it only requests a reconcile
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                agent.Trigger.Request("drift check");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs a loop; if it dies (throws, or ends while the agent is not stopping) the agent stops with it.</summary>
    private async Task Guard(string loop, Func<Task> run, CancellationToken stopping)
    {
        try
        {
            await run().ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                Fail(loop, null);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fail(loop, e);
        }
    }

    private void Fail(string loop, Exception? exception)
    {
        _faulted = true;
        liveness.Ended(loop);
        if (exception is null)
        {
            LogLoopEnded(loop);
        }
        else
        {
            LogLoopFailed(exception, loop);
        }

        Interlocked.CompareExchange(ref _failedLoop, loop, null);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent for node {Node} following {Repository} {Ref} path '{Path}', polling every {PollInterval}")]
    private partial void LogStarting(string node, string repository, string @ref, string path, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory returned after a reconcile that allocated {AllocatedMb:0.0} MB: heap {BeforeMb:0.0} -> {AfterMb:0.0} MB in {Milliseconds:0} ms")]
    private partial void LogMemoryReturned(double allocatedMb, double beforeMb, double afterMb, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal}: polling the repository now")]
    private partial void LogSignal(string signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: releasing VRRP (priority 0), leaving IPVS as it is unless cleanupOnStop")]
    private partial void LogStopping();

    [LoggerMessage(Level = LogLevel.Error, Message = "Topology source failed: {Error}")]
    private partial void LogSourceFailed(string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Loop} loop failed: stopping the agent (exit code 1, for systemd to restart it)")]
    private partial void LogLoopFailed(Exception exception, string loop);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Loop} loop ended while the agent runs: stopping the agent (exit code 1, for systemd to restart it)")]
    private partial void LogLoopEnded(string loop);
}
