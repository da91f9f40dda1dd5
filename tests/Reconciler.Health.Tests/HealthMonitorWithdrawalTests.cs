using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health.Tests;

/// <summary><see cref="HealthMonitor.Withdraw"/>: a takeover's withdrawal of a silent director's real servers, out at
/// once and back only through their checks.</summary>
public sealed class HealthMonitorWithdrawalTests
{
    private const string Reason = "director lb1 (10.0.0.101) stopped advertising VRRP VI_1: withdrawn at takeover until its check passes";
    private static readonly IPAddress[] Lb1 = [IPAddress.Parse("10.0.0.101")];

    private static TopologyModel Seed(HealthCheck? check, int rise = 1) =>
        Build.Topology(Build.Service("web", [Build.Server("10.0.0.101", weight: 5), Build.Server("10.0.0.102")], check ?? Build.Check(rise: rise, fall: 3)));

    [Fact]
    public async Task Withdraw_UpServerAtTheAddress_DownAtOnceWithTheReason_OthersUntouched()
    {
        await using var h = new MonitorHarness(Seed(null));
        await h.StartAsync();

        var withdrawn = h.Monitor.Withdraw(Lb1, Reason);

        Assert.Equal(["web/10.0.0.101:80"], withdrawn);
        var health = h.Health("web", "10.0.0.101");
        Assert.False(health.Present);
        Assert.Equal("health: " + Reason, health.Reason);
        Assert.True(h.Health("web", "10.0.0.102").Present);
        var change = Assert.Single(h.Changes);
        Assert.Equal((HealthChangeKind.ServerDown, "10.0.0.101:80", Reason), (change.Kind, change.RealServer, change.Reason));
    }

    [Fact]
    public async Task Withdrawn_ItsCheckPassesRiseTimes_BackUp()
    {
        await using var h = new MonitorHarness(Seed(null, rise: 2));
        await h.StartAsync();
        h.Monitor.Withdraw(Lb1, Reason);

        await h.AdvanceAsync(1);
        Assert.False(h.Health("web", "10.0.0.101").Present); // one good attempt of two
        await h.AdvanceAsync(1);

        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Equal("tcp connect 10.0.0.101:80 ok, 2nd success", h.Of(HealthChangeKind.ServerUp).Single().Reason);
    }

    [Fact]
    public async Task Withdraw_WhileAnAttemptIsInFlight_ThatAttemptsPassDoesNotBringItBack()
    {
        await using var h = new MonitorHarness(Seed(null));
        await h.StartAsync();
        var server = h["10.0.0.101:80"];
        var inFlight = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Answer = inFlight.Task;
        await h.AdvanceAsync(1);
        await Wait.UntilAsync(() => Volatile.Read(ref server.Calls) == 2, "the second attempt to begin");
        server.Answer = null;

        h.Monitor.Withdraw(Lb1, Reason);
        inFlight.SetResult(ProbeResult.Pass("the attempt that began before the withdrawal", null));
        await Task.Delay(50, TestContext.Current.CancellationToken); // its result handled before time moves on
        await Wait.UntilAsync(
            () =>
            {
                if (h.Of(HealthChangeKind.ServerUp).Count == 0)
                {
                    h.Time.Advance(TimeSpan.FromSeconds(1));
                }

                return h.Of(HealthChangeKind.ServerUp).Count > 0;
            },
            "a check that began after the withdrawal to bring it back");

        Assert.Equal("tcp connect 10.0.0.101:80 ok, 1st success", h.Of(HealthChangeKind.ServerUp).Single().Reason);
    }

    [Fact]
    public async Task Withdrawn_ItsCheckFails_StaysOutWithTheWithdrawalsReasonUntilItsFallCount()
    {
        await using var h = new MonitorHarness(Seed(null));
        await h.StartAsync();
        h["10.0.0.101:80"].Healthy = false;
        h.Monitor.Withdraw(Lb1, Reason);

        await h.AdvanceAsync(5);

        Assert.False(h.Health("web", "10.0.0.101").Present);
        Assert.Empty(h.Of(HealthChangeKind.ServerUp));
        Assert.Single(h.Of(HealthChangeKind.ServerDown)); // no second "down" from the failing check: it was down already
    }

    [Fact]
    public async Task Withdraw_ServerAlreadyDown_OrWithoutCheck_OrNoAddress_NothingTaken()
    {
        await using var h = new MonitorHarness(Build.Topology(Build.Service("web", [Build.Server("10.0.0.101"), Build.Server("10.0.0.102")], null)));
        await h.StartAsync();

        Assert.Empty(h.Monitor.Withdraw(Lb1, Reason));
        Assert.Empty(h.Monitor.Withdraw([], Reason));
        Assert.True(h.Health("web", "10.0.0.101").Present);
        Assert.Empty(h.Changes);
    }
}
