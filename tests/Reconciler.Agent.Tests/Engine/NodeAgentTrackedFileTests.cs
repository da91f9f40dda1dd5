using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>keepalived's <c>init_file</c> as the agent asks for it: at start on the first topology, as a reload after.</summary>
public sealed class NodeAgentTrackedFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adopt_FirstTopologyAtStart_LaterOnesAsReloads()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain), Polls.NewValid("Add a server", Topologies.PlainWithThirdServer));

        await harness.Agent.PollAsync(Token);
        await harness.Agent.PollAsync(Token);

        Assert.Equal([true, false], harness.TrackedFiles.Calls);
    }

    [Fact]
    public async Task Adopt_FileCannotBeWritten_AnErrorInTheStatus_TheTopologyStillAdopted()
    {
        var revision = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(revision));
        harness.TrackedFiles.Problems = ["unable to initialise track file prio (/run/x/prio): permission denied"];

        await harness.Agent.PollAsync(Token);

        Assert.Contains(harness.Agent.GetStatus().Errors, e => e.Source == "track_file" && e.Message.Contains("prio", StringComparison.Ordinal));
        Assert.Equal(revision.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
    }
}
