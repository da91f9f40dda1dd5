using System.Net;
using System.Net.Sockets;
using System.Text;
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
    private readonly HttpListener _listener = new();
    private readonly int _port;
    private readonly List<string?> _authorizations = [];
    private readonly Task _serving;

    public StatusTokenTests()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Close();
        _temp.Dispose();
    }

    /// <summary>Answers /status like an agent with a token: 200 with a JSON body for the token, 401 otherwise.</summary>
    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var authorization = context.Request.Headers["Authorization"];
            lock (_authorizations)
            {
                _authorizations.Add(authorization);
            }

            var accepted = authorization == "Bearer " + Token;
            context.Response.StatusCode = accepted ? 200 : 401;
            var body = Encoding.UTF8.GetBytes(accepted ? "{\"node\":\"lb1\"}" : "a bearer token is required (the agent's endpointTokenFile)\n");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    [Fact]
    public void Status_WithTheTokenFile_SendsTheBearerToken()
    {
        var tokenFile = Path.Combine(_temp.Path, "endpoint-token");
        File.WriteAllText(tokenFile, Token + "\n");

        var result = CliRun.Invoke("status", "--endpoint", $"127.0.0.1:{_port}", "--endpoint-token-file", tokenFile, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"node\":\"lb1\"}", result.Output);
        Assert.Equal(["Bearer " + Token], _authorizations);
    }

    [Fact]
    public void Status_WithoutTheToken_FailsSayingTheAgentsAnswer()
    {
        var result = CliRun.Invoke("status", "--endpoint", $"127.0.0.1:{_port}", "--json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"the agent at 127.0.0.1:{_port} answered 401: a bearer token is required (the agent's endpointTokenFile)", result.Error, StringComparison.Ordinal);
    }
}
