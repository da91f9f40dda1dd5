using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>reconciler agent accept-tip SHA</c>: the operator's one-shot acceptance of a rewritten commit, written
/// into the agent's state folder for its git source to read.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AgentAcceptTipTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AcceptTip_FullSha_WrittenWhereTheAgentReadsIt()
    {
        var state = _temp.Sub("state");
        var sha = new string('A', 40);

        var result = CliRun.Invoke("agent", "accept-tip", sha, "--state-dir", state);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(sha.ToLowerInvariant(), TipAcceptance.Read(state, out var problem));
        Assert.Null(problem);
        Assert.Contains(TipAcceptance.PathIn(state), result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1a2b3c4d")]
    [InlineData("main")]
    public void AcceptTip_NotAFullSha_RefusedAndNothingWritten(string sha)
    {
        var state = _temp.Sub("state");

        var result = CliRun.Invoke("agent", "accept-tip", sha, "--state-dir", state);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a full commit sha", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(TipAcceptance.PathIn(state)));
    }
}
