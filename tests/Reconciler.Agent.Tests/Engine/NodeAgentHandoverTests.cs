using Reconciler.Agent.Tests.Fakes;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>Standby for a maintenance handover: given to the VRRP runtime, kept in the state folder across a restart,
/// taken back by resume (the router's side is in VrrpRouterStandbyTests; the whole command in the lab).</summary>
public sealed class NodeAgentHandoverTests
{
    private static async Task<AgentHarness> MasterAsync()
    {
        var harness = AgentHarness.Start(Polls.NewValid("Web on VI_1", Topologies.Vrrp));
        harness.Vrrp.InitialState = VrrpState.Master;
        await harness.PollAndReconcileAsync();
        return harness;
    }

    [Fact]
    public async Task HandOver_EveryInstanceOfTheNode_OnStandby_KeptInTheStateFolder()
    {
        await using var harness = await MasterAsync();

        var result = harness.Agent.HandOver([]);

        Assert.Equal(["VI_1"], result.Changed);
        Assert.Equal(["VI_1"], result.Standby);
        Assert.Equal(["VI_1"], harness.Vrrp.Runtime!.Standby);
        Assert.Equal("VI_1\n", File.ReadAllText(Path.Combine(harness.StateDirectory, "standby")));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("Handover: VRRP VI_1 on standby", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandOver_ThenRestart_TheNewRuntimeStartsOnStandby()
    {
        await using var harness = await MasterAsync();
        harness.Agent.HandOver(["VI_1"]);

        await harness.RestartAsync(Polls.NewValid("Web on VI_1", Topologies.Vrrp));
        await harness.PollAndReconcileAsync();

        Assert.Equal(["VI_1"], harness.Vrrp.Runtime!.Standby);
        Assert.True(harness.Vrrp.Runtime.StandbySetBeforeStart);
        Assert.True(Assert.Single(harness.Agent.GetStatus().Vrrp).Standby);
    }

    [Fact]
    public async Task Resume_TakesItOffStandby_AndForgetsIt()
    {
        await using var harness = await MasterAsync();
        harness.Agent.HandOver([]);

        var result = harness.Agent.Resume([]);

        Assert.Equal(["VI_1"], result.Changed);
        Assert.Empty(result.Standby);
        Assert.Empty(harness.Vrrp.Runtime!.Standby);
        Assert.False(File.Exists(Path.Combine(harness.StateDirectory, "standby")));
    }

    [Fact]
    public async Task HandOver_InstanceTheNodeTakesNoPartIn_RefusedWithTheOnesItHas()
    {
        await using var harness = await MasterAsync();

        var error = Assert.Throws<ArgumentException>(() => harness.Agent.HandOver(["VI_9"]));

        Assert.Equal("node lb1 takes no part in VRRP instance 'VI_9' (it does in: VI_1)", error.Message);
        Assert.Empty(harness.Vrrp.Runtime!.Standby);
    }

    [Fact]
    public async Task HandOver_BeforeAnyTopology_Refused()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Web on VI_1", Topologies.Vrrp));

        var error = Assert.Throws<InvalidOperationException>(() => harness.Agent.HandOver([]));

        Assert.Equal("no topology is in force yet: nothing to hand over", error.Message);
    }

    [Fact]
    public async Task HandOver_StateFolderCannotKeepIt_NothingChanges()
    {
        await using var harness = await MasterAsync();
        Directory.CreateDirectory(Path.Combine(harness.StateDirectory, "standby", "in-the-way"));

        Assert.ThrowsAny<IOException>(() => harness.Agent.HandOver([]));

        Assert.Empty(harness.Vrrp.Runtime!.Standby);
        Assert.Empty(harness.Agent.StandbyInstances);
    }
}
