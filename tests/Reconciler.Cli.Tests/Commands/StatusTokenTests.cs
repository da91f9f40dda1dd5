using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>reconciler status</c> against an endpoint that wants a bearer token (a stand-in HTTP server on
/// loopback that records what it was sent).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class StatusTokenTests : IDisposable
{
    private const string Token = "cli-token-0123456789";

    private readonly TempDirectory _temp = new();
    private readonly StandInEndpoint _agent = new();

    /// <summary>Answers like an agent with a token: 200 with a JSON body for the token, 401 otherwise.</summary>
    public StatusTokenTests() =>
        _agent.Answer = request => request.Headers["Authorization"] == "Bearer " + Token
            ? (200, "{\"node\":\"lb1\"}")
            : (401, "a bearer token is required (the agent's endpointTokenFile)\n");

    public void Dispose()
    {
        _agent.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Status_WithTheTokenFile_SendsTheBearerToken()
    {
        var tokenFile = Path.Combine(_temp.Path, "endpoint-token");
        File.WriteAllText(tokenFile, Token + "\n");

        var result = CliRun.Invoke("status", "--endpoint", _agent.Address, "--endpoint-token-file", tokenFile, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"node\":\"lb1\"}", result.Output);
        Assert.Equal(["Bearer " + Token], _agent.Authorizations);
    }

    [Fact]
    public void Status_WithoutTheToken_FailsSayingTheAgentsAnswer()
    {
        var result = CliRun.Invoke("status", "--endpoint", _agent.Address, "--json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"the agent at {_agent.Address} answered 401: a bearer token is required (the agent's endpointTokenFile)", result.Error, StringComparison.Ordinal);
    }
}
