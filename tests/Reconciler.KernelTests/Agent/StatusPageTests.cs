using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Tests.Shared.Browser;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// The status page in a real browser: Debian's headless Chromium, in the director's namespace, loads <c>GET /</c> from
/// the published agent (<see cref="AgentLab"/>, VI_1 MASTER) after a commit of three services (one of them with a TCP
/// check that fails) and a refused commit, and the test reads what the page shows from its DOM: the VRRP role, every
/// service, the real servers' health and configured / effective / kernel weights as /status has them, the commit in
/// force, the refused one with its reason, recent events. The screenshot is kept in <c>$RECONCILER_ARTIFACTS</c> (the
/// run's shared results folder) as status-page.png. One browser launch (about a minute under emulation).
/// </summary>
[Collection("vrrp-timing")]
public sealed partial class StatusPageTests(AgentLab lab, ITestOutputHelper output) : IClassFixture<AgentLab>
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(180);

    /// <summary>The lab's topology (VI_1 and service web) and two more services on VI_1.</summary>
    private const string ThreeServices = AgentLab.Topology + """
          - name: api
            address: 10.0.0.100
            port: 8080
            scheduler: wlc
            forwarding: dr
            vrrpInstance: VI_1
            healthCheck: {type: tcp, interval: 1s, connectTimeout: 1s, retries: 1}
            realServers:
              - {address: 10.0.0.9, port: 8080, weight: 3}
          - name: dns
            address: 10.0.0.100
            port: 53
            protocol: udp
            scheduler: rr
            forwarding: dr
            vrrpInstance: VI_1
            realServers:
              - {address: 10.0.0.3, port: 53, weight: 2}

        """;

    [Fact]
    public void Page_InChromium_ShowsTheRoleServicesWeightsCommitsAndEvents()
    {
        // api's real server is the segment's address, where nothing listens on 8080: its check fails (refused).
        lab.CommitTopology(ThreeServices, "web, api and dns on VI_1");
        var applied = WaitForStatus(s => s.GetProperty("source").GetProperty("applied").GetProperty("subject").GetString() == "web, api and dns on VI_1"
            && s.GetProperty("services").GetArrayLength() == 3
            && s.GetProperty("services").EnumerateArray().All(service => service.GetProperty("inKernel").GetBoolean())
            && RealServer(s, "api", "10.0.0.9:8080").GetProperty("health").GetString() == "DOWN", "the three services applied and api's real server DOWN");
        lab.CommitTopology(ThreeServices.Replace("port: 8080\n    scheduler", "port: 70000\n    scheduler", StringComparison.Ordinal), "api on port 70000");
        var status = WaitForStatus(s => s.GetProperty("source").GetProperty("rejected").ValueKind == JsonValueKind.Object, "the second commit refused");

        var artifacts = Environment.GetEnvironmentVariable("RECONCILER_ARTIFACTS") is { Length: > 0 } shared ? shared : Directory.CreateTempSubdirectory("status-page-").FullName;
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "status-page.png");
        var launched = Stopwatch.StartNew();
        var page = HeadlessChromium.Load(new Uri($"http://127.0.0.1:{AgentLab.EndpointPort}/"), screenshot, networkNamespace: lab.Node);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chromium: {launched.Elapsed.TotalSeconds:0.0} s to load, render, dump and screenshot (emulated); screenshot {screenshot}"));
        var shown = page.Shown;

        Assert.Matches("<tr data-instance=\"VI_1\"><td><b>VI_1</b></td><td><span class=\"pill ok\">MASTER</span>", shown);
        foreach (var service in new[] { "web", "api", "dns" })
        {
            Assert.Contains($"data-service=\"{service}\"", shown, StringComparison.Ordinal);
        }

        // Three services: expanded by default, every real server's row shown as /status has it.
        foreach (var (service, server) in new[] { ("web", "10.0.0.3:80"), ("web", "10.0.0.4:80"), ("api", "10.0.0.9:8080"), ("dns", "10.0.0.3:53") })
        {
            var expected = RealServer(status, service, server);
            var cells = Cells(shown, service, server);
            Assert.Equal(
                [server, expected.GetProperty("health").GetString(), Text(expected.GetProperty("configuredWeight")),
                 Text(expected.GetProperty("effectiveWeight"), "removed"), Text(expected.GetProperty("kernelWeight"), "not in kernel")],
                cells[..5]);
        }

        Assert.Equal(["10.0.0.4:80", "UNCHECKED", "5", "5", "5"], Cells(shown, "web", "10.0.0.4:80")[..5]);
        Assert.Equal("DOWN", Cells(shown, "api", "10.0.0.9:8080")[1]);

        var inForce = applied.GetProperty("source").GetProperty("applied").GetProperty("sha").GetString()!;
        Assert.Matches($"<div class=\"card\" id=\"commit\"><h3>Commit in force</h3><code title=\"{inForce}\">{inForce[..12]}</code> web, api and dns on VI_1", shown);
        var rejected = Section(shown, "<div class=\"card bad\" id=\"rejected\">");
        Assert.Contains("api on port 70000", rejected, StringComparison.Ordinal);
        var reason = status.GetProperty("source").GetProperty("rejectedReasons")[0].GetString()!;
        Assert.Contains(Escaped(reason), rejected, StringComparison.Ordinal);

        var events = Section(shown, "<div id=\"events\">");
        Assert.Contains("web, api and dns on VI_1\" by Ops Alice in force", WebUnescaped(events), StringComparison.Ordinal);
        Assert.Contains("VI_1 is MASTER", events, StringComparison.Ordinal);
        Assert.Contains("api 10.0.0.9:8080 ServerDown", events, StringComparison.Ordinal);
        Assert.Contains("rejected (Invalid)", events, StringComparison.Ordinal);
    }

    private JsonElement WaitForStatus(Func<JsonElement, bool> condition, string what)
    {
        JsonElement status = default;
        AgentLab.WaitUntil(() =>
        {
            status = JsonDocument.Parse(lab.Http.GetStringAsync("/status").GetAwaiter().GetResult()).RootElement;
            return condition(status);
        }, what, ApplyTimeout);
        return status;
    }

    private static JsonElement RealServer(JsonElement status, string service, string endpoint) =>
        status.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == service)
            .GetProperty("realServers").EnumerateArray().Single(r => r.GetProperty("endpoint").GetString() == endpoint);

    private static string Text(JsonElement value, string whenNull = "") =>
        value.ValueKind == JsonValueKind.Null ? whenNull : value.GetRawText();

    /// <summary>The text of each cell of a real server's row in a service's table.</summary>
    private static string[] Cells(string shown, string service, string endpoint)
    {
        var block = Section(shown, $"<div class=\"svc\" data-service=\"{service}\">", $"<div class=\"svc problem\" data-service=\"{service}\">");
        var row = Regex.Match(block, $"<tr data-real-server=\"{Regex.Escape(endpoint)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"no row for {endpoint} in {service}:\n{block}");
        return [.. Cell().Matches(row.Groups[1].Value).Select(m => WebUnescaped(Tag().Replace(m.Groups[1].Value, "")))];
    }

    /// <summary>From the first of <paramref name="starts"/> found to the next section of the same kind (or the end).</summary>
    private static string Section(string shown, params string[] starts)
    {
        var start = starts.Select(s => shown.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        Assert.True(start >= 0, $"none of {string.Join(", ", starts)} in the page:\n{shown}");
        var next = shown.IndexOf("<div class=\"svc", start + 10, StringComparison.Ordinal);
        var nextCard = shown.IndexOf("<h2>", start, StringComparison.Ordinal);
        var end = new[] { next, nextCard, shown.Length }.Where(i => i > start).Min();
        return shown[start..end];
    }

    private static string Escaped(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string WebUnescaped(string html) => System.Net.WebUtility.HtmlDecode(html);

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
