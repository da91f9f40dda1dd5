namespace Reconciler.Vrrp.Tests.Router;

/// <summary>Which master a BACKUP took over from, and why: what the agent needs to withdraw a dead director's real
/// server at takeover (a silent master), and only then.</summary>
public sealed class VrrpRouterFormerMasterTests
{
    [Fact]
    public void MastersAdvertsStop_TakesOverFromThatSilentMaster()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(150, from: RouterFixture.PeerHigh4);

        f.Time.Advance(TimeSpan.FromSeconds(4));

        var takeover = f.Host.Transitions.Last();
        Assert.Equal((VrrpState.Master, VrrpTransitionReason.MasterDown, RouterFixture.PeerHigh4), (takeover.To, takeover.Reason, takeover.FormerMaster));
        Assert.True(takeover.TookOverFromSilentMaster);
    }

    [Fact]
    public void MasterSaysGoodbye_TakesOverButNotFromASilentMaster()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(150, from: RouterFixture.PeerHigh4);
        f.Receive(0, from: RouterFixture.PeerHigh4);

        f.Time.Advance(TimeSpan.FromSeconds(1));

        var takeover = f.Host.Transitions.Last();
        Assert.Equal((VrrpState.Master, VrrpTransitionReason.MasterReleased, RouterFixture.PeerHigh4), (takeover.To, takeover.Reason, takeover.FormerMaster));
        Assert.False(takeover.TookOverFromSilentMaster);
    }

    [Fact]
    public void NoMasterEverHeard_MasterDownWithNoFormerMaster()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();

        f.Time.Advance(TimeSpan.FromSeconds(4));

        var takeover = f.Host.Transitions.Last();
        Assert.Equal((VrrpState.Master, VrrpTransitionReason.MasterDown), (takeover.To, takeover.Reason));
        Assert.Null(takeover.FormerMaster);
        Assert.False(takeover.TookOverFromSilentMaster);
    }

    [Fact]
    public void LowerPriorityMasterPreempted_NotASilentMaster()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(50, from: RouterFixture.PeerLow4);

        f.Time.Advance(TimeSpan.FromSeconds(4));

        var takeover = f.Host.Transitions.Last();
        Assert.Equal(VrrpState.Master, takeover.To);
        Assert.False(takeover.TookOverFromSilentMaster);
    }
}
