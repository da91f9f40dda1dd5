using System.Text.Json;
using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>A restarted agent puts the revision it kept in force at once, not after the repository answered.</summary>
public sealed class AgentRestoreTests
{
    [Fact]
    public async Task Start_RepositoryHangs_KeptRevisionInForce()
    {
        var kept = Polls.Good("Kept", Topologies.Plain);
        using var feed = new ControlledFeed { Kept = kept };
        var never = new TaskCompletionSource();
        feed.BlockUntil(never.Task); // every poll hangs, as on a server that accepts and never answers

        await using var agent = await HostedAgent.StartAsync(feed);
        await feed.Blocked.WaitAsync(HostedAgent.Bound, TestContext.Current.CancellationToken);

        Assert.Equal(kept.Commit.Sha, await AppliedShaAsync(agent));
        never.SetResult();
    }

    private static async Task<string?> AppliedShaAsync(HostedAgent agent)
    {
        using var status = JsonDocument.Parse(await agent.Http.GetStringAsync(new Uri("status", UriKind.Relative), TestContext.Current.CancellationToken));
        return status.RootElement.GetProperty("source").GetProperty("applied") is { ValueKind: JsonValueKind.Object } applied
            ? applied.GetProperty("sha").GetString()
            : null;
    }
}
