using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using Reconciler.Agent.Hosting;
using Reconciler.Cli.Output;

namespace Reconciler.Cli.Commands;

/// <summary>How the CLI talks to a running agent's endpoint (<c>status</c>, and <c>plan</c>/<c>apply</c> for its
/// roles and health): with the agent's bearer token when <c>--endpoint-token-file</c> names one.</summary>
internal static class AgentEndpointClient
{
    public static Option<string?> TokenFileOption() => new("--endpoint-token-file")
    {
        Description = "File holding the agent endpoint's bearer token (the agent's endpointTokenFile); default: $RECONCILER_ENDPOINT_TOKEN_FILE.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_ENDPOINT_TOKEN_FILE"),
    };

    /// <summary>The agent at <paramref name="endpoint"/> (<c>address:port</c>) with a client sending the token in
    /// <paramref name="tokenFile"/>; null, with the error printed and <paramref name="failure"/> its exit code, when the
    /// endpoint is not an address or the token file cannot be read.</summary>
    public static (IPEndPoint Address, HttpClient Http)? Open(string endpoint, string? tokenFile, TimeSpan timeout, out int failure)
    {
        failure = ExitCodes.Success;
        if (!IPEndPoint.TryParse(endpoint, out var address))
        {
            failure = Terminal.Fail($"--endpoint: '{endpoint}' is not an address:port");
            return null;
        }

        try
        {
            return (address, Create(tokenFile, timeout));
        }
        catch (IOException e)
        {
            failure = Terminal.Fail(e.Message);
            return null;
        }
    }

    /// <summary>An HTTP client that sends the token in <paramref name="tokenFile"/> (none when null); an
    /// <see cref="IOException"/> names a token file that cannot be read.</summary>
    public static HttpClient Create(string? tokenFile, TimeSpan timeout)
    {
        var token = tokenFile is null ? null : EndpointToken.Read(tokenFile);
        var http = new HttpClient { Timeout = timeout };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }

        return http;
    }
}
