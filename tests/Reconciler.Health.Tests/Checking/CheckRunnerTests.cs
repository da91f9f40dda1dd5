using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Health.Checking;
using Reconciler.Health.Metrics;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;

namespace Reconciler.Health.Tests.Checking;

/// <summary>The runner over fake time that never moves after the first attempt: only <see cref="CheckRunner.Wake"/>
/// can bring another.</summary>
public sealed class CheckRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedProbes _probes = new();
    private readonly Sink _sink = new();

    private CheckRunner Runner()
    {
        var server = Build.Server("10.0.0.101");
        var target = HealthCheckTarget.For(Build.Service("web", [server]), server, Build.Check(intervalSeconds: 3600));
        return new CheckRunner(server, target, _probes.Create(target), new RiseFallCounter(1, 1, up: true, confirmed: true), null, _sink, _time,
            TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Wake_BeforeTheIntervalIsUp_RunsTheNextAttemptNow()
    {
        var runner = Runner();
        runner.Start(TimeSpan.Zero);
        _time.Advance(TimeSpan.FromTicks(1));
        await Wait.UntilAsync(() => _sink.Probed.Count == 1, "the first attempt");

        _probes["10.0.0.101:80"].Healthy = false;
        runner.Wake();

        await Wait.UntilAsync(() => _sink.Decided.Count == 1, "the woken attempt's decision");
        Assert.False(Assert.Single(_sink.Decided).Up);
        Assert.Equal(2, runner.ProbeCount);
        await runner.StopAsync();
    }

    [Fact]
    public async Task Wake_AfterTheWokenAttempt_TheIntervalResumes()
    {
        var runner = Runner();
        runner.Start(TimeSpan.Zero);
        _time.Advance(TimeSpan.FromTicks(1));
        await Wait.UntilAsync(() => _sink.Probed.Count == 1, "the first attempt");

        runner.Wake();
        await Wait.UntilAsync(() => _sink.Probed.Count >= 2, "the woken attempt");
        _time.Advance(TimeSpan.FromHours(1));
        await Wait.UntilAsync(() => _sink.Probed.Count >= 3, "the attempt an interval later");
        await runner.StopAsync();

        Assert.Equal(3, _sink.Probed.Count);
    }

    private sealed class Sink : ICheckSink
    {
        public ConcurrentQueue<ProbeResult> Probed { get; } = new();

        public ConcurrentQueue<CheckDecision> Decided { get; } = new();

        public void OnProbed(CheckRunner runner, in ProbeTiming timing, in ProbeResult result) => Probed.Enqueue(result);

        public void OnDecided(CheckRunner runner, CheckDecision decision) => Decided.Enqueue(decision);

        public void OnFailed(CheckRunner runner, Exception exception) => Assert.Fail(exception.ToString());
    }
}
