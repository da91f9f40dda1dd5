using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Triggers;

namespace Reconciler.Agent.Tests.Triggers;

/// <summary>
/// Time is a <see cref="FakeTimeProvider"/>: a wait that needs the clock to move cannot finish before the test
/// advances it, so "not finished yet" is a fact, not a race.
/// </summary>
public sealed class ReconcileTriggerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ReconcileTrigger _trigger;

    public ReconcileTriggerTests()
    {
        _trigger = new ReconcileTrigger(_time, Interval);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitAsync_BurstBeforeFirstBatch_OneBatchWithEveryDistinctReasonOnceInOrder()
    {
        _trigger.Request("commit abc");
        _trigger.Request("health change");
        _trigger.Request("commit abc");
        _trigger.Request("vrrp transition");
        _trigger.Request("health change");

        var batch = await _trigger.WaitAsync(Token);

        Assert.Equal(["commit abc", "health change", "vrrp transition"], batch);
        Assert.Equal(5, _trigger.Requests);
        Assert.Equal(1, _trigger.Batches);
    }

    [Fact]
    public async Task WaitAsync_BurstWhileWaitingForTheInterval_OneBatchOnceTheIntervalPassed()
    {
        _trigger.Request("first");
        Assert.Equal(["first"], await _trigger.WaitAsync(Token));

        var waiting = _trigger.WaitAsync(Token);
        _trigger.Request("health change");
        _trigger.Request("drift timer");
        _trigger.Request("health change");
        _trigger.Request("SIGHUP");
        Assert.False(waiting.IsCompleted);

        _time.Advance(Interval);

        Assert.Equal(["health change", "drift timer", "SIGHUP"], await waiting);
        Assert.Equal(2, _trigger.Batches);
    }

    [Fact]
    public async Task WaitAsync_RequestWithinMinInterval_WaitsUntilTheIntervalHasPassed()
    {
        _trigger.Request("first");
        await _trigger.WaitAsync(Token);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _trigger.Request("second");

        var waiting = _trigger.WaitAsync(Token);
        _time.Advance(Interval - TimeSpan.FromMilliseconds(501));
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["second"], await waiting);
    }

    [Fact]
    public async Task WaitAsync_RequestDuringTheWait_IsInTheSameBatch()
    {
        _trigger.Request("first");
        await _trigger.WaitAsync(Token);
        _trigger.Request("second");
        var waiting = _trigger.WaitAsync(Token);

        _time.Advance(Interval / 2);
        _trigger.Request("third");
        Assert.False(waiting.IsCompleted);
        _time.Advance(Interval / 2);

        Assert.Equal(["second", "third"], await waiting);
        Assert.Equal(2, _trigger.Batches);
    }

    [Fact]
    public async Task WaitAsync_RequestAfterTheIntervalPassed_TakenWithoutWaiting()
    {
        _trigger.Request("first");
        await _trigger.WaitAsync(Token);
        _time.Advance(Interval + TimeSpan.FromSeconds(1));
        _trigger.Request("second");

        // The clock is not moved again: the batch must come without it.
        Assert.Equal(["second"], await _trigger.WaitAsync(Token));
    }

    [Fact]
    public async Task WaitAsync_NoRequest_DoesNotReturnEvenWhenTimePasses()
    {
        var waiting = _trigger.WaitAsync(Token);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(waiting.IsCompleted);
        _trigger.Request("late");
        Assert.Equal(["late"], await waiting);
    }

    [Fact]
    public async Task WaitAsync_CancelledWhileIdle_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var waiting = _trigger.WaitAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, _trigger.Batches);
    }

    [Fact]
    public async Task WaitAsync_CancelledDuringTheInterval_ThrowsAndKeepsThePendingReasonsForTheNextWait()
    {
        _trigger.Request("first");
        await _trigger.WaitAsync(Token);
        _trigger.Request("second");
        using var cancellation = new CancellationTokenSource();
        var waiting = _trigger.WaitAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, _trigger.Batches);
        var next = _trigger.WaitAsync(Token);
        _time.Advance(Interval);
        Assert.Equal(["second"], await next);
    }
}
