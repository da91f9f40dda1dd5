using System.Net;
using Reconciler.Agent.Engine;
using Reconciler.Ipvs;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Model;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>Which applied steps get a log line of their own, and the summary line for the rest.</summary>
public sealed class CondensedStepLogTests
{
    [Fact]
    public void GetsOwnLine_PlanAtTheItemizedLimit_EveryStepAndNoSummary()
    {
        var steps = Services(CondensedStepLog.ItemizedLimit);
        var log = new CondensedStepLog(steps.Count);

        var itemized = steps.Count(step => log.GetsOwnLine(Succeeded(step)));

        Assert.Equal(CondensedStepLog.ItemizedLimit, itemized);
        Assert.Null(log.Remainder());
    }

    [Fact]
    public void GetsOwnLine_PlanOneAboveTheLimit_FirstFewThenASummaryOfTheRest()
    {
        var steps = Services(CondensedStepLog.ItemizedLimit + 1);
        var log = new CondensedStepLog(steps.Count);

        var itemized = steps.Select(step => log.GetsOwnLine(Succeeded(step))).ToList();

        Assert.Equal(Enumerable.Repeat(true, CondensedStepLog.ShownOfLargePlan), itemized.Take(CondensedStepLog.ShownOfLargePlan));
        Assert.All(itemized.Skip(CondensedStepLog.ShownOfLargePlan), Assert.False);
        Assert.Equal("... and 11 more: 11 services created", log.Remainder());
    }

    [Fact]
    public void Remainder_TenThousandServicesOfTenRealServers_CountsServicesThenRealServersWithThousandsSeparators()
    {
        var steps = new List<PlanStep>();
        for (var s = 0; s < 10_000; s++)
        {
            var key = ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([10, 1, (byte)(s / 256), (byte)(s % 256)]), 80);
            steps.Add(Service(StepAction.Create, key));
            steps.AddRange(Enumerable.Range(1, 10).Select(r => RealServer(StepAction.Create, key, r)));
        }

        var log = new CondensedStepLog(steps.Count);

        var itemized = steps.Count(step => log.GetsOwnLine(Succeeded(step)));

        Assert.Equal(CondensedStepLog.ShownOfLargePlan, itemized);
        // The first ten lines are one service and nine of its real servers.
        Assert.Equal("... and 109,990 more: 9,999 services created, 99,991 real servers added", log.Remainder());
    }

    [Fact]
    public void Remainder_EveryKindOfStep_NamedWithItsVerbAndSingularForOne()
    {
        var key = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);
        var steps = Services(CondensedStepLog.ItemizedLimit)
            .Append(Service(StepAction.Update, key))
            .Append(Service(StepAction.Delete, key))
            .Append(RealServer(StepAction.Update, key, 1))
            .Append(RealServer(StepAction.Drain, key, 2))
            .Append(RealServer(StepAction.Drain, key, 3))
            .Append(RealServer(StepAction.Delete, key, 4))
            .Append(Address(StepAction.Create))
            .Append(Address(StepAction.Delete))
            .ToList();
        var log = new CondensedStepLog(steps.Count);

        foreach (var step in steps)
        {
            log.GetsOwnLine(Succeeded(step));
        }

        Assert.Equal(
            "... and 18 more: 10 services created, 1 service updated, 1 service deleted, 1 real server updated, "
            + "2 real servers drained, 1 real server removed, 1 address added, 1 address removed",
            log.Remainder());
    }

    [Fact]
    public void GetsOwnLine_FailedStepsOfALargePlan_EachOnItsOwnLineWhereverTheyFallAndNotInTheSummary()
    {
        var steps = Services(100);
        var log = new CondensedStepLog(steps.Count);
        var failing = new HashSet<int> { 3, 50, 99 };

        var ownLines = steps
            .Select((step, i) => (Index: i, Own: log.GetsOwnLine(failing.Contains(i) ? Failed(step) : Succeeded(step))))
            .Where(s => s.Own)
            .Select(s => s.Index);

        // Ten succeeded steps (0-2 and 4-10) and the three failures.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 99], ownLines);
        Assert.Equal("... and 87 more: 87 services created", log.Remainder());
    }

    [Fact]
    public void Remainder_LargePlanWhoseStepsAllFailed_Null()
    {
        var steps = Services(50);
        var log = new CondensedStepLog(steps.Count);

        Assert.All(steps, step => Assert.True(log.GetsOwnLine(Failed(step))));
        Assert.Null(log.Remainder());
    }

    private static List<PlanStep> Services(int count) =>
        Enumerable.Range(0, count)
            .Select(PlanStep (i) => Service(StepAction.Create, ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), (ushort)(1000 + i))))
            .ToList();

    private static ServiceStep Service(StepAction action, ServiceKey key) =>
        new(action, key, null, action == StepAction.Delete ? null : new IpvsService(key, "wlc", IpvsServiceFlags.None, 0, uint.MaxValue, null), [], false, null);

    private static DestinationStep RealServer(StepAction action, ServiceKey key, int host) =>
        new(action, key, null, new IpvsDestination(new IPAddress([10, 2, 0, (byte)host]), 8080, IpvsForwarding.Masquerade, 1, 0, 0), [], false, null);

    private static AddressStep Address(StepAction action) =>
        new(action, "eth0", new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32), null, false, null);

    private static StepResult Succeeded(PlanStep step) => new(step, null);

    private static StepResult Failed(PlanStep step) => new(step, "Operation not permitted");
}
