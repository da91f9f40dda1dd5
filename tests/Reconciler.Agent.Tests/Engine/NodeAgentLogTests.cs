using Reconciler.Agent.Engine;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Ipvs;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>What an apply writes to the log: every operation of a small plan, the first few and a summary of a
/// large one, and every failure on its own line.</summary>
public sealed class NodeAgentLogTests
{
    private const int Services = 30;
    private const int RealServersEach = 3;
    private const int LargePlan = Services * (1 + RealServersEach);

    [Fact]
    public async Task Reconcile_SmallPlan_OneLinePerOperationAndNoSummary()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(5, view.Operations);
        Assert.Equal(5, StepLines(harness).Count);
        Assert.DoesNotContain(harness.Logs.Lines, IsSummary);
    }

    [Fact]
    public async Task Poll_CommitWithManyWarnings_FirstOnesLoggedThenOneCountLine()
    {
        var good = Polls.Good("Many warnings", Topologies.Plain);
        var warnings = Enumerable.Range(1, 500)
            .Select(i => Reconciler.Topology.Diagnostics.Diagnostic.Warning("w", $"warning number {i}", new Reconciler.Topology.Diagnostics.SourceLocation("topology.yaml", i, 3)))
            .ToList();
        var poll = Polls.NewValid(good) with { Warnings = warnings };
        await using var harness = AgentHarness.Start(poll);

        await harness.Agent.PollAsync(TestContext.Current.CancellationToken);

        var logged = harness.Logs.Lines.Where(l => l.Contains("warning number", StringComparison.Ordinal)).ToList();
        Assert.Equal(NodeAgent.MaxLoggedDiagnostics, logged.Count);
        Assert.Contains("topology.yaml:1:3: warning: warning number 1", logged[0], StringComparison.Ordinal);
        Assert.Single(harness.Logs.Lines, l => l.EndsWith($"{500 - NodeAgent.MaxLoggedDiagnostics} more warnings not logged; 'reconciler validate' at that commit lists them all", StringComparison.Ordinal));
        Assert.NotNull(harness.Agent.Revision);
    }

    [Fact]
    public async Task Reconcile_LargePlan_FirstFewOperationsThenOneSummaryLineByKind()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Many services", Topologies.Many(Services, RealServersEach)));

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(LargePlan, view.Operations);
        Assert.Equal(Services, harness.Ipvs.GetServices().Count);
        Assert.Equal(CondensedStepLog.ShownOfLargePlan, StepLines(harness).Count);
        var summary = Assert.Single(harness.Logs.Lines, IsSummary);
        Assert.Equal(ExpectedSummary(harness, LargePlan - CondensedStepLog.ShownOfLargePlan), summary);
        var lines = harness.Logs.Lines.ToList();
        Assert.True(lines.IndexOf(summary) > lines.FindLastIndex(l => l.StartsWith("+ ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reconcile_LargePlanWithRefusedOperations_EveryFailureOnItsOwnLineAndLeftOutOfTheSummary()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Many services", Topologies.Many(Services, RealServersEach)));
        harness.Refusing.Refuses = operation => operation is AddDestination { Destination.Address: var address } && address.ToString() == "10.0.1.3";

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(Services, view.Failed);
        var failures = harness.Logs.Lines.Where(l => l.Contains(" FAILED: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Services, failures.Count);
        Assert.All(failures, l => Assert.StartsWith("+ real server 10.0.1.3:8080 of svc", l, StringComparison.Ordinal));
        Assert.Equal(Services, failures.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CondensedStepLog.ShownOfLargePlan, StepLines(harness).Count);
        var summary = Assert.Single(harness.Logs.Lines, IsSummary);
        Assert.StartsWith($"... and {LargePlan - Services - CondensedStepLog.ShownOfLargePlan} more: ", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_CleanupOfALargeTable_SummarizedTooWithDeletesNamedAsSuch()
    {
        await using var harness = AgentHarness.StartWithCleanup(Polls.NewValid("Many services", Topologies.Many(Services, RealServersEach)));
        await harness.PollAndReconcileAsync();
        var before = harness.Logs.Lines.Count;

        await harness.Agent.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(harness.Ipvs.GetServices());
        var cleanup = harness.Logs.Lines.Skip(before).ToList();
        Assert.Equal(CondensedStepLog.ShownOfLargePlan, cleanup.Count(l => l.StartsWith("- ", StringComparison.Ordinal)));
        var summary = Assert.Single(cleanup, IsSummary);
        Assert.Contains("services deleted", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("created", summary, StringComparison.Ordinal);
    }

    private static bool IsSummary(string line) => line.StartsWith("... and ", StringComparison.Ordinal);

    /// <summary>Succeeded operations logged one a line: "+ service ...", "+ real server ...".</summary>
    private static List<string> StepLines(AgentHarness harness) =>
        harness.Logs.Lines.Where(l => l.StartsWith("+ ", StringComparison.Ordinal) && !l.Contains(" FAILED: ", StringComparison.Ordinal)).ToList();

    /// <summary>The summary the shown lines leave: every created service and real server not among them.</summary>
    private static string ExpectedSummary(AgentHarness harness, int more)
    {
        var shown = StepLines(harness);
        var services = Services - shown.Count(l => l.StartsWith("+ service ", StringComparison.Ordinal));
        var realServers = (Services * RealServersEach) - shown.Count(l => l.StartsWith("+ real server ", StringComparison.Ordinal));
        return $"... and {more} more: {services} services created, {realServers} real servers added";
    }
}
