using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Linux.Vrrp;
using Reconciler.Tests.Shared.Scripts;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Tests.Vrrp;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VrrpCheckRunnerTests
{
    /// <summary>How long one check run may take to complete before the test fails (the commands here take milliseconds).</summary>
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(20);

    private static TrackedCheck Check(string[] command, int rise = 1, int fall = 1, double timeout = 2) =>
        new("chk", command.ToValueList(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(timeout), rise, fall, 0);

    /// <summary>Runs the check for exactly <paramref name="runs"/> completed runs and returns every report it made.</summary>
    private static async Task<List<bool>> WatchRunsAsync(TrackedCheck check, int runs)
    {
        var seen = new ConcurrentQueue<bool>();
        var gate = new CheckRunGate();
        await using (var runner = new VrrpCheckRunner(check, (_, up) => seen.Enqueue(up), ScriptFixtures.AsNobody, NullLogger.Instance, gate))
        {
            runner.Start();
            for (var run = 1; run <= runs; run++)
            {
                await gate.WaitForCompletedRunAsync(run, RunBound);
                if (run < runs)
                {
                    gate.StartNextRun();
                }
            }
        }

        return [.. seen];
    }

    [Fact]
    public async Task Success_ReportsUpOnce()
    {
        // The first success decides at once; the five successes after it change nothing and must not report again.
        var seen = await WatchRunsAsync(Check(["/bin/true"]), runs: 6);

        Assert.Equal([true], seen);
    }

    [Fact]
    public async Task Failure_ReportsDown()
    {
        var seen = await WatchRunsAsync(Check(["/bin/false"], fall: 2), runs: 3);

        Assert.Equal([false], seen);
    }

    [Fact]
    public async Task Overrun_IsKilledAndCountsAsFailure()
    {
        var watch = Stopwatch.StartNew();

        var seen = await WatchRunsAsync(Check(["/bin/sleep", "30"], timeout: 0.3), runs: 2);

        Assert.Equal([false], seen);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"two runs of a 30 s command took {watch.Elapsed}: it was not killed at its timeout");
    }

    [Fact]
    public async Task MissingCommand_IsFailure()
    {
        var seen = await WatchRunsAsync(Check(["/nonexistent/check"]), runs: 3);

        Assert.Equal([false], seen);
    }

    [Fact]
    public async Task Check_RunsAsTheUnprivilegedScriptUser()
    {
        var seen = await WatchRunsAsync(Check(["/bin/sh", "-c", "test \"$(id -u)\" = 65534"]), runs: 1);

        Assert.Equal([true], seen);
    }

    [Fact]
    public async Task CheckInAFolderOthersCanWrite_RefusedNeverRunAndDown()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        try
        {
            var marker = Path.Combine(folder.FullName, "ran");
            var script = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), $"touch {marker}");

            var seen = await WatchRunsAsync(Check([script]), runs: 2);

            Assert.Equal([false], seen);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The runner's clock: it stands still, and each pause the runner takes after a run (a timer it creates) is held
    /// until the test starts the next run. A timer created is thus the event "a run completed and its result was
    /// recorded", and no run starts unseen.
    /// </summary>
    private sealed class CheckRunGate : TimeProvider
    {
        private readonly Channel<HeldTimer> _pauses = Channel.CreateUnbounded<HeldTimer>();
        private HeldTimer? _current;

        public override long GetTimestamp() => 0;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new HeldTimer(callback, state);
            _pauses.Writer.TryWrite(timer);
            return timer;
        }

        public async Task WaitForCompletedRunAsync(int run, TimeSpan bound)
        {
            using var timeout = new CancellationTokenSource(bound);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, TestContext.Current.CancellationToken);
            try
            {
                _current = await _pauses.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Assert.Fail($"check run {run} did not complete within {bound.TotalSeconds:0} s");
            }
        }

        public void StartNextRun() => (_current ?? throw new InvalidOperationException("no run has completed yet")).Fire();
    }

    private sealed class HeldTimer(TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public void Fire()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Volatile.Read(ref _disposed) == 0;

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
