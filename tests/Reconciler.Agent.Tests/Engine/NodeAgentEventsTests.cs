using System.Net;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>The recent events of /status (the status page's list): what changed, newest first, and nothing for a
/// reconcile that found nothing to do.</summary>
public sealed class NodeAgentEventsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetStatus_CommitAdoptedAndApplied_CommitThenReconcileNewestFirst()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));

        var view = await harness.PollAndReconcileAsync();

        var events = harness.Agent.GetStatus().Events;
        Assert.Equal(["reconcile", "commit"], events.Select(e => e.Kind));
        Assert.Matches("^[0-9a-f]+ \"Add web and dns\" by .+ in force$", events[1].Message);
        Assert.True(view.Operations > 0);
        Assert.Equal($"{view.Result}: {view.Operations} operations (0 failed, 0 drift); why: {string.Join(", ", view.Reasons)}", events[0].Message);
    }

    [Fact]
    public async Task GetStatus_ReconcileWithNothingToDo_NoEvent()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        var before = harness.Agent.GetStatus().Events;

        harness.Agent.Reconcile(["drift timer"]);

        Assert.Equal(before, harness.Agent.GetStatus().Events);
    }

    [Fact]
    public async Task GetStatus_CommitRejected_AnErrorEventWithTheFirstReason()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(good), Polls.Rejected("Break the port", good, "port must be at most 65535"));
        await harness.PollAndReconcileAsync();

        await harness.Agent.PollAsync(Token);

        var newest = harness.Agent.GetStatus().Events[0];
        Assert.Equal("error", newest.Kind);
        Assert.Matches("^git: commit [0-9a-f]+ rejected \\(Invalid\\): .*port must be at most 65535", newest.Message);
    }

    [Fact]
    public async Task GetStatus_VrrpTransitions_OneEventPerNewState()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Web on VI_1", Topologies.Vrrp));
        harness.Vrrp.InitialState = VrrpState.Master;
        await harness.PollAndReconcileAsync();
        var runtime = harness.Vrrp.Runtime!;

        runtime.Transition(VrrpState.Backup, IPAddress.Parse("10.0.0.2"));
        runtime.Transition(VrrpState.Backup, IPAddress.Parse("10.0.0.2")); // raised again, nothing new
        runtime.Transition(VrrpState.Master, null);

        var vrrp = harness.Agent.GetStatus().Events.Where(e => e.Kind == "vrrp").Select(e => e.Message);
        Assert.Equal(["VI_1 is MASTER (Startup)", "VI_1 is BACKUP (Startup)"], vrrp);
    }
}
