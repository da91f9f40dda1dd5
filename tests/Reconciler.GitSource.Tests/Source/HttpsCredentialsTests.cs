using System.Net;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>
/// The https token goes only to the configured origin (scheme, host and port). Two real HTTPS responders on
/// loopback: the configured one asks for credentials and, once given them, redirects to another origin (another
/// address and port) that asks for credentials too. Whatever libgit2 does with the redirect, that origin must never
/// see an <c>Authorization</c> header.
/// </summary>
public sealed class HttpsCredentialsTests : IDisposable
{
    private const string Token = "s3cret-token-for-the-configured-host";
    private readonly TempDirectory _temp = new();

    public HttpsCredentialsTests() => Libgit2Trust.Trust(TestCertificate.PemFile);

    private static CancellationToken Token_ => TestContext.Current.CancellationToken;

    private static string Unauthorized(string realm) => $"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"{realm}\"\r\n";

    private GitTopologySource Source(int port)
    {
        var tokenFile = Path.Combine(_temp.Path, "token");
        File.WriteAllText(tokenFile, Token + "\n");
        return new GitTopologySource(new GitSourceOptions
        {
            Url = $"https://127.0.0.1:{port}/topology.git",
            StateDirectory = _temp.Sub("state"),
            Credentials = new HttpsCredentials { TokenFile = tokenFile },
        });
    }

    [Fact]
    public async Task PollAsync_ConfiguredHostRedirectsToAnotherOrigin_TheOtherOriginNeverGetsTheToken()
    {
        using var other = new TlsHttpServer(IPAddress.Parse("127.0.0.2"), _ => Unauthorized("other"));
        using var configured = new TlsHttpServer(IPAddress.Loopback, request => request.Headers.ContainsKey("Authorization")
            ? $"HTTP/1.1 302 Found\r\nLocation: https://127.0.0.2:{other.Port}/topology.git/info/refs?service=git-upload-pack\r\n"
            : Unauthorized("configured"));
        using var source = Source(configured.Port);

        var result = await source.PollAsync(Token_);

        var unreachable = Assert.IsType<PollResult.Unreachable>(result);
        Assert.DoesNotContain(Token, unreachable.Error, StringComparison.Ordinal);
        // The configured host was asked with the token (so the setup reached the redirect) ...
        Assert.Contains(configured.Requests, r => r.Headers.TryGetValue("Authorization", out var value) && value.StartsWith("Basic ", StringComparison.Ordinal));
        // ... the redirect was followed, and the other origin never saw any credentials.
        Assert.NotEmpty(other.Requests);
        Assert.All(other.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization"), $"{r.Line} carried Authorization"));
        Assert.Contains($"refused to send the https token to https://127.0.0.2:{other.Port}", unreachable.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://git.example.com/netops/lb.git/info/refs?service=git-upload-pack", true)]
    [InlineData("https://GIT.example.com:443/other/path.git", true)]
    [InlineData("https://git.example.com:8443/netops/lb.git", false)]
    [InlineData("http://git.example.com/netops/lb.git", false)]
    [InlineData("https://git.example.com.evil.test/netops/lb.git", false)]
    [InlineData("https://evil.test/git.example.com/netops/lb.git", false)]
    [InlineData("not a url", false)]
    public void IsConfiguredOrigin_OnlySchemeHostAndPortOfTheConfiguredUrl(string asked, bool allowed)
    {
        using var mirror = GitMirror.Open(new GitSourceOptions
        {
            Url = "https://git.example.com/netops/lb.git",
            StateDirectory = _temp.Sub("state"),
            Credentials = new HttpsCredentials { TokenEnvironmentVariable = "UNUSED" },
        });

        Assert.Equal(allowed, mirror.IsConfiguredOrigin(asked));
    }

    public void Dispose() => _temp.Dispose();
}
