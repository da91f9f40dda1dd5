using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Status;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Hosting;
using Reconciler.Tests.Shared.Browser;

namespace Reconciler.Agent.Tests.Status;

/// <summary>
/// <c>GET /</c>, the status page: served by the real host, one self-contained file (nothing from elsewhere, its own
/// script and style allowed by hash and nothing else), reachable without the endpoint's token; and, in Debian's
/// headless Chromium on this host, usable at 1,000 services (collapsed, rendered a page at a time, searchable).
/// </summary>
public sealed partial class StatusPageTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_Root_ThePageAsHtmlWithItsPolicy()
    {
        await using var agent = await HostedAgent.StartAsync(new ControlledFeed());

        using var response = await agent.Http.GetAsync(new Uri("/", UriKind.Relative), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypeHeaderValue.Parse("text/html; charset=utf-8"), response.Content.Headers.ContentType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal(StatusPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var body = await response.Content.ReadAsByteArrayAsync(Token);
        Assert.Equal(StatusPage.Html.ToArray(), body);
        Assert.StartsWith("<!doctype html>", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Root_WithTokenConfigured_ServedWithoutIt_StatusStillNeedsIt()
    {
        var tokenFile = _work.File("endpoint-token");
        await File.WriteAllTextAsync(tokenFile, "0123456789abcdef-token\n", Token);
        await using var agent = await HostedAgent.StartAsync(new ControlledFeed(), HostedAgent.DefaultSettings() with { EndpointTokenFile = tokenFile });

        using var page = await agent.Http.GetAsync(new Uri("/", UriKind.Relative), Token);
        using var status = await agent.Http.GetAsync(new Uri("/status", UriKind.Relative), Token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
    }

    [Fact]
    public void Html_SelfContained_NothingLoadedFromElsewhere()
    {
        var html = Encoding.UTF8.GetString(StatusPage.Html.Span);

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@font-face", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["status"], FetchedUrls().Matches(html).Select(m => m.Groups[1].Value).Distinct());
    }

    [Fact]
    public void ContentSecurityPolicy_OnlyThePagesOwnScriptAndStyle_OnlyTheAgent()
    {
        var html = Encoding.UTF8.GetString(StatusPage.Html.Span);
        var policy = StatusPage.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

        Assert.Equal("'none'", policy["default-src"]);
        Assert.Equal(Hash(Between(html, "<script>", "</script>")), policy["script-src"]);
        Assert.Equal(Hash(Between(html, "<style>", "</style>")), policy["style-src"]);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);

        static string Between(string text, string start, string end)
        {
            int from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
            return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
        }

        static string Hash(string content) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}'";
    }

    /// <summary>1,000 services x 10 real servers through the real host in Debian's Chromium: the page shows the count,
    /// renders the first 200 collapsed (no real server table) with a button for more, and a search narrows the list to
    /// what matches; a service opened by search shows its real servers when alone.</summary>
    [Fact]
    public async Task Page_ThousandServices_InChromium_CollapsedPagedAndSearchable()
    {
        var feed = new ScriptedTopologyFeed { Kept = Polls.Good("Many", Topologies.Many(1000, 10)) };
        await using var agent = await HostedAgent.StartAsync(feed);
        await WaitForServicesAsync(agent, 1000);
        var root = agent.Http.BaseAddress!;

        var all = HeadlessChromium.Load(root, virtualTimeMilliseconds: 2000);
        var searched = HeadlessChromium.Load(new Uri(root, "/?q=svc99"), virtualTimeMilliseconds: 2000);

        Assert.Contains("<span id=\"service-count\" class=\"muted\">(1000)</span>", all.Shown, StringComparison.Ordinal);
        Assert.Equal(200, ServiceRow().Matches(all.Shown).Count);
        Assert.Contains("data-service=\"svc0\"", all.Shown, StringComparison.Ordinal);
        Assert.Contains("data-service=\"svc199\"", all.Shown, StringComparison.Ordinal);
        Assert.DoesNotContain("data-service=\"svc200\"", all.Shown, StringComparison.Ordinal);
        Assert.DoesNotContain("<tr data-real-server=", all.Shown, StringComparison.Ordinal); // collapsed: no real server rendered
        Assert.Contains(">Show 200 more</button>", all.Shown, StringComparison.Ordinal);
        Assert.Contains("showing 200 of 1000 matching<", all.Shown, StringComparison.Ordinal);

        // svc99 and svc990 to svc999.
        Assert.Equal(
            ["svc99", .. Enumerable.Range(990, 10).Select(i => $"svc{i}")],
            ServiceRow().Matches(searched.Shown).Select(m => m.Groups[1].Value));
        Assert.Contains("showing 11 of 11 matching (1000 in all)", searched.Shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Show 200 more", searched.Shown, StringComparison.Ordinal);
    }

    private static async Task WaitForServicesAsync(HostedAgent agent, int count)
    {
        using var bound = new CancellationTokenSource(HostedAgent.Bound);
        while (true)
        {
            var status = JsonSerializer.Deserialize(await agent.Http.GetStringAsync(new Uri("/status", UriKind.Relative), bound.Token), AgentJsonContext.Default.AgentStatus)!;
            if (status.Services.Count == count && status.Services.All(s => s.InKernel))
            {
                return;
            }

            await Task.Delay(50, bound.Token);
        }
    }

    [GeneratedRegex("""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("fetch\\(\"([^\"]*)\"")]
    private static partial Regex FetchedUrls();

    [GeneratedRegex("""<div class="svc[^"]*" data-service="([^"]*)">""")]
    private static partial Regex ServiceRow();
}
