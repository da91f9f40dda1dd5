using System.Net;
using Reconciler.Health.Tests.Support;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests;

/// <summary>The schedule and the deciding, over fake time and scripted probes.</summary>
public sealed class HealthMonitorTests
{
    private const string A = "10.0.0.101:80";
    private const string B = "10.0.0.102:80";
    private const string C = "10.0.0.103:80";

    private static VirtualService Web(HealthCheck? check, params RealServer[] servers) => Build.Service("web", servers, check);

    [Fact]
    public async Task Fall_ThreeConsecutiveFailures_DownAtTheThirdWithItsReason()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(fall: 3), Build.Server("10.0.0.101"))));
        await h.StartAsync();
        Assert.Equal(1, h[A].Calls);
        h[A].Healthy = false;

        await h.AdvanceAsync(2);
        Assert.Equal(3, h[A].Calls);
        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Empty(h.Changes);

        await h.AdvanceAsync(1);
        // Its only real server down, the service's quorum (keepalived's 1 when none is set) is lost too.
        Assert.Equal([HealthChangeKind.ServerDown, HealthChangeKind.QuorumLost], h.Changes.Select(c => c.Kind));
        var down = h.Changes.First();
        Assert.Equal("tcp connect 10.0.0.101:80 refused, 3rd failure", down.Reason);
        Assert.Equal("10.0.0.101:80", down.RealServer);
        Assert.Equal(h.Monitor.Current.Version, down.Version);
        var health = h.Health("web", "10.0.0.101");
        Assert.False(health.Present);
        Assert.Equal("health: tcp connect 10.0.0.101:80 refused, 3rd failure", health.Reason);
        Assert.Contains(h.Logs.Lines, l => l.Message == "web real server 10.0.0.101:80 is down: tcp connect 10.0.0.101:80 refused, 3rd failure");
    }

    [Fact]
    public async Task Rise_TwoConsecutiveSuccesses_UpAtTheSecond()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(rise: 2, fall: 1), Build.Server("10.0.0.101"))));
        h[A].Healthy = false;
        await h.StartAsync();
        Assert.False(h.Health("web", "10.0.0.101").Present);

        h[A].Healthy = true;
        await h.AdvanceAsync(1);
        Assert.False(h.Health("web", "10.0.0.101").Present);
        await h.AdvanceAsync(1);

        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Equal("tcp connect 10.0.0.101:80 ok, 2nd success", h.Of(HealthChangeKind.ServerUp).Single().Reason);
    }

    [Fact]
    public async Task InitialState_UpAndFirstAttemptFails_DownAtOnceDespiteFall()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(fall: 5), Build.Server("10.0.0.101"))));
        Assert.True(h.Health("web", "10.0.0.101").Present);
        h[A].Healthy = false;

        await h.StartAsync();

        Assert.Equal("tcp connect 10.0.0.101:80 refused, 1st failure", h.Of(HealthChangeKind.ServerDown).Single().Reason);
    }

    [Fact]
    public async Task InitialState_Down_AbsentUntilTheFirstGoodAttempt()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(rise: 3), Build.Server("10.0.0.101"))), HealthInitialState.Down);
        Assert.False(h.Health("web", "10.0.0.101").Present);

        await h.StartAsync();

        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Equal("tcp connect 10.0.0.101:80 ok, 1st success", h.Of(HealthChangeKind.ServerUp).Single().Reason);
    }

    [Fact]
    public async Task AlphaCheck_AbsentUntilItsFirstGoodAttempt_WhileAnotherServiceStartsUp()
    {
        var alpha = Build.Check(rise: 3) with { Alpha = true };
        var other = Build.Service("api", [Build.Server("10.0.0.102")], Build.Check());
        await using var h = new MonitorHarness(Build.Topology(Web(alpha, Build.Server("10.0.0.101")), other));
        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.True(h.Health("api", "10.0.0.102").Present);

        await h.StartAsync();

        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Equal("tcp connect 10.0.0.101:80 ok, 1st success", h.Of(HealthChangeKind.ServerUp).Single().Reason);
    }

    [Fact]
    public async Task Retries_FailingServer_RetriesDelayBeforeRetryApartThenOneFailedAttempt()
    {
        var check = Build.Check(intervalSeconds: 10, retries: 2, delayBeforeRetrySeconds: 2, fall: 2);
        await using var h = new MonitorHarness(Build.Topology(Web(check, Build.Server("10.0.0.101"))));
        await h.StartAsync();
        h[A].Healthy = false;

        await h.AdvanceAsync(10);
        Assert.Equal(2, h[A].Calls);
        await h.AdvanceAsync(1);
        Assert.Equal(2, h[A].Calls);
        await h.AdvanceAsync(1);
        Assert.Equal(3, h[A].Calls);
        await h.AdvanceAsync(2);
        Assert.Equal(4, h[A].Calls);
        Assert.Empty(h.Changes);

        await h.AdvanceAsync(6);
        Assert.Equal(5, h[A].Calls);
        await h.AdvanceAsync(4);
        Assert.Equal(7, h[A].Calls);
        Assert.Equal("tcp connect 10.0.0.101:80 refused, 2nd failure", h.Of(HealthChangeKind.ServerDown).Single().Reason);
    }

    [Fact]
    public async Task Retries_RetrySucceeds_AttemptCountsAsGood()
    {
        var check = Build.Check(intervalSeconds: 10, retries: 1, delayBeforeRetrySeconds: 1);
        await using var h = new MonitorHarness(Build.Topology(Web(check, Build.Server("10.0.0.101"))));
        await h.StartAsync();
        h[A].Healthy = false;

        await h.AdvanceAsync(10);
        h[A].Healthy = true;
        await h.AdvanceAsync(1);

        Assert.Equal(3, h[A].Calls);
        Assert.Empty(h.Changes);
        Assert.Equal(3, h.Monitor.GetMetrics().Probes[HealthCheckKind.Tcp].Run);
        Assert.Equal(1, h.Monitor.GetMetrics().Probes[HealthCheckKind.Tcp].Failed);
    }

    [Fact]
    public async Task Warmup_ManyChecks_FirstProbesSpreadOverTheWarmup()
    {
        var servers = Enumerable.Range(1, 200).Select(i => Build.Server($"10.0.{i / 250}.{i % 250 + 1}")).ToArray();
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(intervalSeconds: 60, warmupSeconds: 10), servers)));
        await h.Monitor.StartAsync(TestContext.Current.CancellationToken);

        var perStep = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var before = h.Probes.TotalCalls;
            await h.AdvanceAsync(0.1, 0.1);
            perStep.Add(h.Probes.TotalCalls - before);
        }

        Assert.Equal(200, h.Probes.TotalCalls);
        Assert.True(perStep.Count(n => n > 0) >= 60, $"first probes should spread: {string.Join(",", perStep)}");
        Assert.True(perStep.Max() <= 12, $"no burst: {string.Join(",", perStep)}");
    }

    [Fact]
    public async Task InhibitOnFailure_FailedServer_StaysAtWeightZero()
    {
        var service = Web(Build.Check(), Build.Server("10.0.0.101", weight: 5)) with { InhibitOnFailure = true };
        await using var h = new MonitorHarness(Build.Topology(service));
        h[A].Healthy = false;
        await h.StartAsync();

        var health = h.Health("web", "10.0.0.101");
        Assert.True(health.Present);
        Assert.Equal(0, health.Weight);
        Assert.Equal("health: tcp connect 10.0.0.101:80 refused, 1st failure (inhibited)", health.Reason);

        h[A].Healthy = true;
        await h.AdvanceAsync(1);
        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.101"));
    }

    [Fact]
    public async Task SlowStart_Recovery_RampsFromOneToTheWeightLinearly()
    {
        var check = Build.Check(slowStart: new SlowStart(TimeSpan.FromSeconds(9)));
        await using var h = new MonitorHarness(Build.Topology(Web(check, Build.Server("10.0.0.101", weight: 10))));
        h[A].Healthy = false;
        await h.StartAsync();
        h[A].Healthy = true;

        await h.AdvanceAsync(1);
        Assert.Equal(1, h.Of(HealthChangeKind.ServerUp).Single().Weight);
        Assert.Equal(1, h.Health("web", "10.0.0.101").Weight);
        var weights = new List<int?>();
        for (var i = 0; i < 10; i++)
        {
            await h.AdvanceAsync(1);
            weights.Add(h.Health("web", "10.0.0.101").Weight);
        }

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, null, null], weights);
        Assert.Equal(Enumerable.Range(2, 9).Select(w => (int?)w), h.Of(HealthChangeKind.WeightChanged).Select(c => c.Weight));
        Assert.Equal("slow start: weight 10 of 10", h.Of(HealthChangeKind.WeightChanged).Last().Reason);
    }

    [Fact]
    public async Task SlowStart_FailureDuringRamp_StopsTheRamp()
    {
        var check = Build.Check(slowStart: new SlowStart(TimeSpan.FromSeconds(9)));
        await using var h = new MonitorHarness(Build.Topology(Web(check, Build.Server("10.0.0.101", weight: 10))));
        h[A].Healthy = false;
        await h.StartAsync();
        h[A].Healthy = true;
        await h.AdvanceAsync(3);
        h[A].Healthy = false;
        await h.AdvanceAsync(1);
        var ramped = h.Of(HealthChangeKind.WeightChanged).Count;

        await h.AdvanceAsync(10);

        Assert.Equal(ramped, h.Of(HealthChangeKind.WeightChanged).Count);
        Assert.False(h.Health("web", "10.0.0.101").Present);
    }

    [Fact]
    public async Task DynamicWeight_ProbeReportsAWeight_OverlayCarriesIt()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101", weight: 3))));
        await h.StartAsync();
        h[A].DynamicWeight = 7;

        await h.AdvanceAsync(1);

        var change = h.Of(HealthChangeKind.WeightChanged).Single();
        Assert.Equal(7, change.Weight);
        Assert.Equal(7, h.Health("web", "10.0.0.101").Weight);

        h[A].DynamicWeight = null;
        await h.AdvanceAsync(1);
        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.101"));
    }

    [Fact]
    public async Task Quorum_ThreeWithHysteresisOne_WithdrawnBelowTwoRestoredAtFour()
    {
        var servers = new[] { "10.0.0.101", "10.0.0.102", "10.0.0.103", "10.0.0.104" }.Select(a => Build.Server(a)).ToArray();
        var service = Web(Build.Check(), servers) with { Quorum = new Quorum(3, 1) };
        await using var h = new MonitorHarness(Build.Topology(service));
        await h.StartAsync();
        var withdrawn = new List<bool>();

        foreach (var endpoint in new[] { A, B, C })
        {
            h[endpoint].Healthy = false;
            await h.AdvanceAsync(1);
            withdrawn.Add(h.Monitor.Current.GetService("web").Withdrawn);
        }

        foreach (var endpoint in new[] { A, B, C })
        {
            h[endpoint].Healthy = true;
            await h.AdvanceAsync(1);
            withdrawn.Add(h.Monitor.Current.GetService("web").Withdrawn);
        }

        Assert.Equal([false, false, true, true, true, false], withdrawn);
        Assert.Equal("quorum lost: live weight 1 of quorum 3 ± 1, service withdrawn", h.Of(HealthChangeKind.ServiceWithdrawn).Single().Reason);
        Assert.Single(h.Of(HealthChangeKind.ServiceRestored));
        Assert.Equal("quorum lost: live weight 1 of quorum 3 ± 1, service withdrawn", h.Of(HealthChangeKind.QuorumLost).Single().Reason);
        Assert.Equal("quorum regained: live weight 4", h.Of(HealthChangeKind.QuorumRegained).Single().Reason);
    }

    [Fact]
    public async Task SorryServer_EveryServerDown_ActiveAndThePlannerUsesIt()
    {
        var service = Web(Build.Check(), Build.Server("10.0.0.101"), Build.Server("10.0.0.102")) with { SorryServer = Build.Sorry };
        var topology = Build.Topology(service);
        await using var h = new MonitorHarness(topology);
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(1);
        Assert.False(h.Monitor.Current.GetService("web").SorryServerActive);

        h[B].Healthy = false;
        await h.AdvanceAsync(1);

        Assert.True(h.Monitor.Current.GetService("web").SorryServerActive);
        Assert.Equal("every real server is down, sorry server active", h.Of(HealthChangeKind.SorryServerActivated).Single().Reason);
        Assert.Single(h.Of(HealthChangeKind.QuorumLost)); // keepalived's quorum is 1 when none is set: quorum_down runs
        var desired = DesiredStateBuilder.Build(topology, "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), h.Monitor.Current));
        var destination = Assert.Single(Assert.Single(desired.Services).Destinations);
        Assert.Equal(IPAddress.Parse("10.0.0.250"), destination.Destination.Address);

        h[B].Healthy = true;
        await h.AdvanceAsync(1);
        Assert.False(h.Monitor.Current.GetService("web").SorryServerActive);
        Assert.Single(h.Of(HealthChangeKind.SorryServerDeactivated));
    }

    [Fact]
    public async Task Planner_DownServer_IsRemovedFromTheDesiredState()
    {
        var topology = Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"), Build.Server("10.0.0.102")));
        await using var h = new MonitorHarness(topology);
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(1);

        var desired = DesiredStateBuilder.Build(topology, "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), h.Monitor.Current));

        var service = Assert.Single(desired.Services);
        Assert.Equal(IPAddress.Parse("10.0.0.102"), Assert.Single(service.Destinations).Destination.Address);
        Assert.Equal(IPAddress.Parse("10.0.0.101"), Assert.Single(service.RemoveAtOnce).Address);
    }

    [Fact]
    public async Task Unchecked_ServerWithoutCheck_AlwaysConfigured()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(null, Build.Server("10.0.0.101", weight: 4))));
        await h.StartAsync();
        await h.AdvanceAsync(5);

        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.101"));
        Assert.Equal(0, h.Probes.TotalCalls);
        Assert.Equal(1, h.Monitor.Current.ServersUnchecked);
        Assert.Equal(0, h.Monitor.ChecksRunning);
    }

    [Fact]
    public async Task Unchecked_ServersWithoutCheck_NotListedButCountedAndLive()
    {
        var service = Build.Service("web", [Build.Server("10.0.0.101", weight: 4), Build.Server("10.0.0.102", weight: 6)], null);
        await using var h = new MonitorHarness(Build.Topology(service));
        await h.StartAsync();

        var status = h.Monitor.Current.Services["web"];
        Assert.Empty(status.RealServers);
        Assert.Equal(2, status.Unchecked);
        Assert.Equal(10, status.LiveWeight);
        Assert.Equal(2, status.LiveCount);
        Assert.Null(status.Find(IPAddress.Parse("10.0.0.101"), 80));
    }

    [Fact]
    public async Task Update_CheckAddedToAnUncheckedServer_ListedAndDecidedByItsCheck()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(null, Build.Server("10.0.0.101"), Build.Server("10.0.0.102"))));
        await h.StartAsync();
        h[A].Healthy = false;
        Assert.Equal(2, h.Monitor.Current.ServersUnchecked);

        h.Monitor.Update(Build.Topology(Web(null, Build.Server("10.0.0.101", check: Build.Check()), Build.Server("10.0.0.102"))));

        var status = h.Monitor.Current.Services["web"];
        Assert.Equal(1, status.Unchecked);
        Assert.Equal(IPAddress.Parse("10.0.0.101"), Assert.Single(status.RealServers).Address);
        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.Equal("tcp connect 10.0.0.101:80 refused, 1st failure", h.Of(HealthChangeKind.ServerDown).Single().Reason);
        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.102"));
        Assert.Equal(1, status.LiveWeight);
    }

    [Fact]
    public async Task Update_CheckAddedWhileItsFirstProbeHangs_AServerThatWasServingStaysAndANewOneWaits()
    {
        // Initial state down: a new server is absent until a good probe; one already serving without a check keeps
        // serving while its new check has not answered yet.
        await using var h = new MonitorHarness(Build.Topology(Web(null, Build.Server("10.0.0.101"))), HealthInitialState.Down);
        await h.StartAsync();
        h[A].Hang = true;
        h["10.0.0.102:80"].Hang = true;

        h.Monitor.Update(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"), Build.Server("10.0.0.102"))));

        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.False(h.Health("web", "10.0.0.102").Present);
        Assert.Equal(0, h.Monitor.Current.Services["web"].Unchecked);
    }

    [Fact]
    public async Task Update_CheckRemoved_ServerUnlistedAndPresentAgain()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(fall: 1), Build.Server("10.0.0.101"))));
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(15);
        Assert.False(h.Health("web", "10.0.0.101").Present);

        h.Monitor.Update(Build.Topology(Web(null, Build.Server("10.0.0.101"))));

        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.101"));
        Assert.Equal(0, h.Monitor.ChecksRunning);
        Assert.Equal(1, h.Monitor.Current.ServersUnchecked);
        Assert.Equal(0, h.Monitor.Current.ServersDown);
    }

    [Fact]
    public async Task Node_ServiceOfAnotherNodesVrrpInstance_NotChecked()
    {
        var instance = new VrrpInstance("vi1", "eth0", ValueMap<string>.Empty, 51, 2, TimeSpan.FromSeconds(1),
            ValueMap<int>.Create([new("lb2", 100)]), true, TimeSpan.Zero, null, [], [], [], [], null, GratuitousArp.Default);
        var topology = new Reconciler.Topology.Model.Topology([], [], [instance],
            [Build.Service("web", [Build.Server("10.0.0.101")], Build.Check(), vrrp: "vi1")]);
        await using var h = new MonitorHarness(topology);
        await h.StartAsync();

        Assert.Equal(0, h.Monitor.ChecksRunning);
        Assert.Empty(h.Monitor.Current.Services);
    }

    [Fact]
    public async Task Update_UnchangedChecksKeepRunning_ChangedReplacedRemovedStoppedAddedStarted()
    {
        var check = Build.Check(fall: 1);
        var before = Build.Topology(Web(check, Build.Server("10.0.0.101"), Build.Server("10.0.0.102"), Build.Server("10.0.0.103")));
        await using var h = new MonitorHarness(before);
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(2);
        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.Equal(3, h[A].Calls);

        // A: weight changed only (check unchanged). B: check changed. C: removed. D: added.
        var after = Build.Topology(Web(check,
            Build.Server("10.0.0.101", weight: 9),
            Build.Server("10.0.0.102", check: Build.Check(intervalSeconds: 2)),
            Build.Server("10.0.0.104")));
        h.Monitor.Update(after);
        var cCalls = h[C].Calls;
        var aCalls = h[A].Calls;
        await h.AdvanceAsync(4);

        Assert.Equal(1, h[A].Created);
        Assert.Equal(aCalls + 4, h[A].Calls);
        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.Equal(2, h[B].Created);
        Assert.Equal(cCalls, h[C].Calls);
        Assert.Equal(1, h["10.0.0.104:80"].Created);
        Assert.True(h["10.0.0.104:80"].Calls >= 4);
        Assert.Equal(3, h.Monitor.ChecksRunning);
        Assert.Contains(h.Logs.Lines, l => l.Message == "Health checks updated: 1 added, 1 replaced, 1 removed, 1 kept running");
    }

    [Fact]
    public async Task Update_ServiceRemoved_ChecksStopAndTheOverlayForgetsIt()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"))));
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(1);
        var calls = h[A].Calls;

        h.Monitor.Update(Build.Topology());
        await h.AdvanceAsync(3);

        Assert.Equal(calls, h[A].Calls);
        Assert.Same(RealServerHealth.Configured, h.Health("web", "10.0.0.101"));
        Assert.Equal(0, h.Monitor.ChecksRunning);
    }

    [Fact]
    public async Task Update_ChangedCheck_InheritsTheServersState()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"))));
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(1);
        var downs = h.Of(HealthChangeKind.ServerDown).Count;

        h.Monitor.Update(Build.Topology(Web(Build.Check(intervalSeconds: 2, fall: 3), Build.Server("10.0.0.101"))));
        await h.AdvanceAsync(4);

        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.Equal(downs, h.Of(HealthChangeKind.ServerDown).Count);
    }

    [Fact]
    public async Task HungProbe_IgnoringCancellation_AbandonedAfterGraceWhileOthersKeepTheirSchedule()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(timeoutSeconds: 1), Build.Server("10.0.0.101"), Build.Server("10.0.0.102"))), graceSeconds: 2);
        h[A].Hang = true;
        await h.StartAsync();
        var bCalls = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await h.AdvanceAsync(1);
            bCalls.Add(h[B].Calls);
        }

        Assert.Equal([2, 3, 4], bCalls);
        await Wait.UntilAsync(() => h.Of(HealthChangeKind.ServerDown).Count == 1, "the hung probe to be abandoned");
        Assert.Equal("tcp check of 10.0.0.101:80 did not finish within 3s, abandoned, 1st failure", h.Of(HealthChangeKind.ServerDown).Single().Reason);
        Assert.Equal(1, h[A].Calls);
    }

    [Fact]
    public async Task Metrics_AfterProbes_CountsPerKindStateChangesAndGauges()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"), Build.Server("10.0.0.102"), Build.Server("10.0.0.103", check: null)) with { HealthCheck = Build.Check() }));
        await h.StartAsync();
        h[A].Healthy = false;
        await h.AdvanceAsync(2);

        var metrics = h.Monitor.GetMetrics();

        Assert.Equal(new Metrics.ProbeCounters(9, 7, 2, TimeSpan.Zero), metrics.Probes[HealthCheckKind.Tcp] with { TotalDuration = TimeSpan.Zero });
        Assert.Equal(0, metrics.Probes[HealthCheckKind.Http].Run);
        Assert.Equal(1, metrics.StateChanges);
        Assert.Equal(3, metrics.ChecksRunning);
        Assert.Equal(2, metrics.ServersUp);
        Assert.Equal(1, metrics.ServersDown);
    }

    [Fact]
    public async Task Stop_RunningChecks_NoMoreProbes()
    {
        await using var h = new MonitorHarness(Build.Topology(Web(Build.Check(), Build.Server("10.0.0.101"))));
        await h.StartAsync();
        await h.Monitor.StopAsync(TestContext.Current.CancellationToken);
        var calls = h[A].Calls;

        await h.AdvanceAsync(5);

        Assert.Equal(calls, h[A].Calls);
        Assert.Equal(0, h.Monitor.ChecksRunning);
    }
}
