namespace Reconciler.Vrrp.Tests.Router;

/// <summary>keepalived's track_file in the router: the value times the weight moves the priority, -254 or below is FAULT,
/// weight 0 is FAULT on a non-zero value (reverse: on zero), and the router waits for the first read.</summary>
public sealed class VrrpRouterTrackedFileTests
{
    private static VrrpRouterConfig WithFile(int priority, int weight, bool reverse = false) =>
        RouterFixture.V2(priority) with { TrackedChecks = [new VrrpTrackedCheck("drain", weight) { IsFile = true, Reverse = reverse }] };

    [Theory]
    [InlineData(10, false, 3, 130)]
    [InlineData(10, true, 3, 70)]
    [InlineData(10, false, -5, 50)]
    [InlineData(254, false, 1, 254)]
    [InlineData(1, false, 0, 100)]
    public void EffectivePriority_AddsValueTimesWeight(int weight, bool reverse, int value, int expected)
    {
        using var f = new RouterFixture(WithFile(100, weight, reverse));
        Assert.True(f.Router.SetFileValue("drain", value));
        Assert.Equal(expected, f.Router.EffectivePriority);
    }

    [Theory]
    [InlineData(10, false, -26, VrrpState.Fault)]
    [InlineData(10, false, -25, VrrpState.Backup)]
    [InlineData(0, false, 1, VrrpState.Fault)]
    [InlineData(0, false, 0, VrrpState.Backup)]
    [InlineData(0, true, 0, VrrpState.Fault)]
    [InlineData(0, true, 7, VrrpState.Backup)]
    public void State_FaultsAsKeepalived(int weight, bool reverse, int value, VrrpState expected)
    {
        using var f = new RouterFixture(WithFile(100, weight, reverse));
        f.Router.Start();
        Assert.Equal(VrrpState.Initialize, f.Router.State);
        f.Router.SetFileValue("drain", value);
        Assert.Equal(expected, f.Router.State);
    }

    [Fact]
    public void FaultedByFile_ComesBackWhenTheValueDoes()
    {
        using var f = new RouterFixture(WithFile(100, 0));
        f.Router.Start();
        f.Router.SetFileValue("drain", 1);
        Assert.Equal(VrrpState.Fault, f.Router.State);
        f.Router.SetFileValue("drain", 0);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.False(f.Router.SetFileValue("other", 0));
    }
}
