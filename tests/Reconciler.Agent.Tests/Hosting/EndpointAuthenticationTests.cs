using System.Net;
using System.Net.Http.Headers;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>The endpoint's bearer token and the limit on POST /reconcile, against the real Kestrel host on loopback.</summary>
public sealed class EndpointAuthenticationTests : IDisposable
{
    private const string Token = "0123456789abcdef-token";

    private readonly TempDirectory _secrets = new();

    public void Dispose() => _secrets.Dispose();

    private async Task<HostedAgent> StartWithTokenAsync()
    {
        var tokenFile = _secrets.File("endpoint-token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n", TestContext.Current.CancellationToken);
        return await HostedAgent.StartAsync(new ControlledFeed(), HostedAgent.DefaultSettings() with { EndpointTokenFile = tokenFile });
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer) => new(method, new Uri(path, UriKind.Relative))
    {
        Headers = { Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer) },
    };

    [Theory]
    [InlineData("GET", "status")]
    [InlineData("GET", "metrics")]
    [InlineData("GET", "overlay")]
    [InlineData("GET", "plan")]
    [InlineData("POST", "reconcile")]
    public async Task Route_WithTokenConfigured_401WithoutItOrWithAnotherOne(string method, string path)
    {
        await using var agent = await StartWithTokenAsync();

        using var none = await agent.Http.SendAsync(Request(new HttpMethod(method), path, null), TestContext.Current.CancellationToken);
        using var wrong = await agent.Http.SendAsync(Request(new HttpMethod(method), path, Token + "x"), TestContext.Current.CancellationToken);
        using var right = await agent.Http.SendAsync(Request(new HttpMethod(method), path, Token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, right.StatusCode);
    }

    [Fact]
    public async Task Healthz_WithTokenConfigured_AnswersWithoutIt()
    {
        await using var agent = await StartWithTokenAsync();

        using var response = await agent.Http.GetAsync(new Uri("healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RunAsync_EndpointBeyondLoopbackWithoutToken_RefusedBeforeListening()
    {
        var settings = HostedAgent.DefaultSettings() with { Endpoint = new IPEndPoint(IPAddress.Any, HostedAgent.FreePort()) };

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => AgentHost.RunAsync(
            settings with { StateDirectory = _secrets.Path },
            (_, _) => throw new InvalidOperationException("the edges must not be opened"),
            TestContext.Current.CancellationToken).WaitAsync(HostedAgent.Bound, TestContext.Current.CancellationToken));

        Assert.StartsWith($"endpoint 0.0.0.0:{settings.Endpoint.Port} is not loopback: an endpoint beyond loopback needs a bearer token (endpointTokenFile)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReconcile_BeyondTheBurst_429WithRetryAfter()
    {
        await using var agent = await StartWithTokenAsync();
        var answers = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;

        // The bucket refills one request every 5 s: a few more than the burst reach the limit however slow the host.
        for (int i = 0; i < ReconcileRequestLimit.Burst + 3 && retryAfter is null; i++)
        {
            using var response = await agent.Http.SendAsync(Request(HttpMethod.Post, "reconcile", Token), TestContext.Current.CancellationToken);
            answers.Add(response.StatusCode);
            retryAfter = response.Headers.RetryAfter?.Delta;
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, ReconcileRequestLimit.Burst), answers.Take(ReconcileRequestLimit.Burst));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), ReconcileRequestLimit.Refill);
    }
}
