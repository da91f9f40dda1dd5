using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests;

public sealed class ServiceHealthRulesTests
{
    private static readonly VirtualService WithQuorum = Build.Service("web", [], quorum: new Quorum(3, 1));

    [Theory]
    [InlineData(true, 3, true)]
    [InlineData(true, 2, true)]
    [InlineData(true, 1, false)]
    [InlineData(false, 3, false)]
    [InlineData(false, 4, true)]
    [InlineData(true, 0, false)]
    public void Evaluate_QuorumThreeHysteresisOne_LosesBelowTwoRegainsAtFour(bool wasUp, long liveWeight, bool expectedUp)
    {
        var (up, health) = ServiceHealthRules.Evaluate(WithQuorum, wasUp, liveWeight, (int)liveWeight);

        Assert.Equal(expectedUp, up);
        Assert.Equal(!expectedUp, health.Withdrawn);
    }

    [Fact]
    public void Evaluate_QuorumLostWithSorryServer_SorryServerInsteadOfWithdrawal()
    {
        var service = WithQuorum with { SorryServer = Build.Sorry };

        var (_, health) = ServiceHealthRules.Evaluate(service, true, 1, 1);

        Assert.False(health.Withdrawn);
        Assert.True(health.SorryServerActive);
        Assert.Equal("quorum lost: live weight 1 of quorum 3 ± 1, sorry server active", health.Reason);
    }

    [Fact]
    public void Evaluate_NoQuorumAllDown_SorryServerOnlyWhenNoneLive()
    {
        var service = Build.Service("web", [], sorry: Build.Sorry);

        Assert.True(ServiceHealthRules.Evaluate(service, true, 0, 0).Health.SorryServerActive);
        Assert.False(ServiceHealthRules.Evaluate(service, true, 0, 1).Health.SorryServerActive);
        Assert.False(ServiceHealthRules.Evaluate(service with { SorryServer = null }, true, 0, 0).Health.Withdrawn);
    }
}
