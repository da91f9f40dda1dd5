using Reconciler.GitSource.Diff;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

public sealed class DiffRisksTests
{
    /// <summary>One service, five real servers (the third already at weight 0).</summary>
    private const string Pool = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.1.0.1
            port: 80
            realServers:
              - {address: 10.2.0.1, port: 80}
              - {address: 10.2.0.2, port: 80}
              - {address: 10.2.0.3, port: 80, weight: 0}
              - {address: 10.2.0.4, port: 80}
              - {address: 10.2.0.5, port: 80}

        """;

    private static List<string> Risks(string before, string after, int limit = DiffRisks.DefaultServerLimit) =>
        DiffRisks.Find(DiffOf(before, after), limit).Select(r => $"{r.Kind}: {r.Message}").ToList();

    [Fact]
    public void Find_VipMovesToAnotherInstance_NamesBothMasters()
    {
        Assert.Equal(
            ["VipMoved: VIP 192.168.1.122/32 moves from VRRP instance VI_1 to VI_2 (MASTER lb1 -> MASTER lb2)"],
            Risks(Samples.Seed, Edit(Samples.Seed, MoveVipOut, MoveVipIn)));
    }

    [Fact]
    public void Find_VipDropped_Removed()
    {
        Assert.Equal(
            ["VipRemoved: VIP 192.168.1.122/32 is removed (was on VRRP instance VI_1)"],
            Risks(Samples.Seed, Edit(Samples.Seed, MoveVipOut)));
    }

    [Fact]
    public void Find_PreferredMasterChanges_ItsVipsMoveUnlessPreemptionIsOff()
    {
        var flip = ("priorities: {lb1: 100, lb2: 80}", "priorities: {lb1: 100, lb2: 120}");

        Assert.Equal(
            ["MasterChanged: VRRP instance VI_1 gets a new preferred MASTER, lb1 -> lb2: its VIPs [192.168.1.120/32, 192.168.1.122/32] move to lb2"],
            Risks(Samples.Seed, Edit(Samples.Seed, flip)));
        var noPreempt = Edit(Samples.Seed, ("virtualRouterId: 51", "virtualRouterId: 51\n    preempt: false"));
        Assert.Empty(Risks(noPreempt, Edit(noPreempt, flip)));
        Assert.Empty(Risks(Samples.Seed, Edit(Samples.Seed, Priority)));
    }

    [Fact]
    public void Find_ServiceRenamedOrMoved_OnlyAMovedAddressIsARemoval()
    {
        Assert.Empty(Risks(Samples.Seed, Edit(Samples.Seed, ("  - name: api\n", "  - name: api2\n"))));
        Assert.Equal(
            ["ServiceRemoved: service api (TCP 192.168.1.121:8080) is removed with its 2 real servers"],
            Risks(Samples.Seed, Edit(Samples.Seed, ("    port: 8080\n    scheduler: rr", "    port: 8081\n    scheduler: rr"))));
    }

    [Fact]
    public void Find_ServersLeaving_MoreThanTheLimitCountingRemovedAndWeightZeroNotThoseAlreadyAtZero()
    {
        var threeOut = Edit(Pool, ("      - {address: 10.2.0.1, port: 80}\n", ""), ("      - {address: 10.2.0.3, port: 80, weight: 0}\n", ""), ("{address: 10.2.0.2, port: 80}", "{address: 10.2.0.2, port: 80, weight: 0}"), ("      - {address: 10.2.0.5, port: 80}\n", ""));

        // 10.2.0.1 and .5 removed, .2 to weight 0: three leave (.3 was out already), which is not more than 3.
        Assert.Empty(Risks(Pool, threeOut));
        Assert.Equal(
            ["ServersLeaving: 3 real servers leave service at once (more than 2): web 10.2.0.1:80, web 10.2.0.2:80, web 10.2.0.5:80"],
            Risks(Pool, threeOut, limit: 2));
    }

    [Fact]
    public void Find_AllServersOut_ServiceEmptiedAndFourLeaving()
    {
        var allZero = Pool.Replace("port: 80}", "port: 80, weight: 0}", StringComparison.Ordinal);

        Assert.Equal(
            [
                "ServiceEmptied: service web (TCP 10.1.0.1:80) keeps no real server in service (all removed or at weight 0)",
                "ServersLeaving: 4 real servers leave service at once (more than 3): web 10.2.0.1:80, web 10.2.0.2:80, web 10.2.0.4:80, web 10.2.0.5:80",
            ],
            Risks(Pool, allZero));
    }

    [Fact]
    public void Find_InvalidNewRevision_None()
    {
        Assert.Empty(Risks(Samples.Seed, Samples.Invalid));
    }
}
