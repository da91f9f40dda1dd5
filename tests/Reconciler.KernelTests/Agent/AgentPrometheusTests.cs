using System.Globalization;
using System.Net;
using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;
using Reconciler.Tests.Shared.Grafana;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// What monitoring tools read from a running agent (the published executable): its /metrics passes
/// <c>promtool check metrics</c>; a real Prometheus server scrapes it and answers queries with what the agent's
/// /status says, and runs every query of examples/grafana; its log, asked for as JSON, is one JSON object per line.
/// The agent (<see cref="CheckedAgentLab"/>) has VRRP, services and health checks that pass and fail, for the richest
/// /metrics a node has.
/// </summary>
[Collection("vrrp-timing")] // Prometheus starting under emulation takes the CPU the VRRP timing tests need
public sealed class AgentPrometheusTests(CheckedAgentLab fixture, ITestOutputHelper output) : IClassFixture<CheckedAgentLab>
{
    private const int PrometheusPort = 9090;
    private static readonly TimeSpan PrometheusTimeout = TimeSpan.FromSeconds(300);

    private AgentLab Lab => fixture.Lab;

    [Fact]
    public async Task LiveMetrics_WithVrrpServicesAndChecks_PromtoolCheckMetricsHasNoComplaint()
    {
        var text = await Lab.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var check = Infrastructure.Lab.RunWithInput(text, "promtool", "check", "metrics");

        output.WriteLine($"{text.Split('\n').Length} lines checked");
        Assert.Equal("", check.Output + check.Error);
        Assert.Equal(0, check.ExitCode);
        // The rich state was in what was checked: VRRP, checks of two kinds, servers up and down.
        Assert.Contains("reconciler_vrrp_state{vrrp_instance=\"VI_1\",state=\"MASTER\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("reconciler_real_server_up{service=\"web\",real_server=\"10.0.0.3:80\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("reconciler_real_server_up{service=\"web\",real_server=\"10.0.0.4:80\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("reconciler_real_server_up{service=\"api\",real_server=\"10.0.0.9:443\"} 0\n", text, StringComparison.Ordinal);
        Assert.True(Lab.Metrics().Sum("reconciler_health_checks_total", "kind=\"EXEC\"", "result=\"success\"") > 0);
        Assert.True(Lab.Metrics().Sum("reconciler_health_checks_total", "kind=\"TCP\"", "result=\"failure\"") > 0);
    }

    [Fact]
    public async Task PrometheusScrapesTheAgent_QueriesAnswerWhatStatusSays_EveryDashboardQueryRuns()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var work = new TempFolder();
        var config = Path.Combine(work.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 2s
              scrape_timeout: 2s
            scrape_configs:
              - job_name: reconciler
                static_configs:
                  - targets: ['127.0.0.1:{AgentLab.EndpointPort}']

            """);
        using var prometheus = LabProcess.Start(Lab.Node, "prometheus",
            "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(work.Path, "data"),
            "--web.listen-address=127.0.0.1:" + PrometheusPort.ToString(CultureInfo.InvariantCulture), "--log.level=warn");
        using var http = Lab.CreateHttpClient(maxConnections: 4, port: PrometheusPort);
        try
        {
            var ready = AgentLab.WaitUntil(() => !prometheus.HasExited && Answers(http, "/-/ready"), "Prometheus ready", PrometheusTimeout);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Prometheus ready after {ready.TotalSeconds:0.0} s (emulated)"));
            AgentLab.WaitUntil(() => Query(http, "reconciler_vrrp_state{vrrp_instance=\"VI_1\"} == 1").Count == 1, "the agent's VRRP state in Prometheus", PrometheusTimeout);

            // The reconcile counter, once the scrape caught up with it (it is still while nothing changes).
            double reconciles = 0;
            AgentLab.WaitUntil(
                () => Value(Query(http, "sum(reconciler_reconciles_total{result=\"success\"})")) is { } scraped && scraped == (reconciles = Lab.Metrics().Sum("reconciler_reconciles_total", "result=\"success\"")),
                "Prometheus's reconcile count equal to the agent's",
                PrometheusTimeout);
            using var status = JsonDocument.Parse(await Lab.Http.GetStringAsync("/status", cancel));
            var root = status.RootElement;

            var vrrp = Assert.Single(Query(http, "reconciler_vrrp_state{vrrp_instance=\"VI_1\"} == 1"));
            var instance = root.GetProperty("vrrp").EnumerateArray().Single(v => v.GetProperty("instance").GetString() == "VI_1");
            Assert.Equal(instance.GetProperty("state").GetString(), vrrp.GetProperty("metric").GetProperty("state").GetString());
            Assert.Equal("MASTER", vrrp.GetProperty("metric").GetProperty("state").GetString());
            // The target's own label is Prometheus's: the VRRP instance is not renamed to exported_instance.
            Assert.Equal("127.0.0.1:" + AgentLab.EndpointPort.ToString(CultureInfo.InvariantCulture), vrrp.GetProperty("metric").GetProperty("instance").GetString());
            Assert.Equal(instance.GetProperty("effectivePriority").GetDouble(), Value(Query(http, "reconciler_vrrp_effective_priority{vrrp_instance=\"VI_1\"}")));

            Assert.True(reconciles >= 1, "at least the first commit's reconcile");
            Assert.Contains(root.GetProperty("lastReconcile").GetProperty("result").GetString(), (string[])["applied", "no changes"]); // a success
            Assert.Equal(1, Value(Query(http, "sum(reconciler_commits_applied_total)")));
            var commit = Assert.Single(Query(http, "reconciler_applied_commit_info"));
            Assert.Equal(root.GetProperty("source").GetProperty("applied").GetProperty("sha").GetString(), commit.GetProperty("metric").GetProperty("commit").GetString());

            var up = Query(http, "reconciler_real_server_up").ToDictionary(Series);
            var weights = Query(http, "reconciler_real_server_effective_weight").ToDictionary(Series, s => Value([s]));
            var servers = root.GetProperty("services").EnumerateArray()
                .SelectMany(s => s.GetProperty("realServers").EnumerateArray().Select(r => (Key: s.GetProperty("name").GetString() + " " + r.GetProperty("endpoint").GetString(), Server: r)))
                .ToList();
            Assert.Equal(3, servers.Count);
            Assert.Equal(servers.Select(s => s.Key).Order(StringComparer.Ordinal), up.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, server) in servers)
            {
                Assert.Equal(server.GetProperty("health").GetString() == "DOWN" ? 0 : 1, Value([up[key]]));
                var effective = server.GetProperty("effectiveWeight");
                Assert.Equal(effective.ValueKind == JsonValueKind.Null ? null : effective.GetDouble(), weights.GetValueOrDefault(key));
            }

            var failing = new List<string>();
            foreach (var expression in DashboardQueries())
            {
                var answer = await http.GetAsync(QueryUri(expression.Replace("$__rate_interval", "10s", StringComparison.Ordinal).Replace("$instance", ".+", StringComparison.Ordinal)), cancel);
                if (!answer.IsSuccessStatusCode)
                {
                    failing.Add($"{expression}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(cancel)}");
                }
            }

            Assert.Empty(failing);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nPrometheus output:\n{prometheus.Output}\ntargets:\n{Get(http, "/api/v1/targets")}", e);
        }
        finally
        {
            prometheus.Terminate(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task LogFormatJson_EveryLineOneObject_WithTimestampLevelCategoryMessageAndState()
    {
        var lines = Lab.Agent.Lines.Select(l => l.Line).ToList();

        Assert.NotEmpty(lines);
        var events = lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line); // throws on anything but one JSON value per line
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }).ToList();
        Assert.All(events, e =>
        {
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("Timestamp").GetString(), CultureInfo.InvariantCulture, out _));
            Assert.Contains(e.GetProperty("LogLevel").GetString(), (string[])["Trace", "Debug", "Information", "Warning", "Error", "Critical"]);
            Assert.False(string.IsNullOrEmpty(e.GetProperty("Category").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("Message").GetString()));
        });
        // The structured state: the named values of the message, here the commit that was put in force.
        var adopted = Assert.Single(events, e => e.GetProperty("State").TryGetProperty("{OriginalFormat}", out var format)
            && format.GetString()!.StartsWith("Topology at commit {Commit}", StringComparison.Ordinal));
        var commit = adopted.GetProperty("State").GetProperty("Commit").GetString()!;
        using var status = JsonDocument.Parse(await Lab.Http.GetStringAsync("/status", TestContext.Current.CancellationToken));
        Assert.Matches("^[0-9a-f]{7,40}$", commit);
        Assert.StartsWith(commit, status.RootElement.GetProperty("source").GetProperty("applied").GetProperty("sha").GetString(), StringComparison.Ordinal);
        Assert.Contains(commit, adopted.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Information", adopted.GetProperty("LogLevel").GetString());
    }

    private static Uri QueryUri(string expression) => new("/api/v1/query?query=" + Uri.EscapeDataString(expression), UriKind.Relative);

    /// <summary>The result vector of an instant query (empty while Prometheus has nothing, or does not answer yet).</summary>
    private static List<JsonElement> Query(HttpClient http, string expression)
    {
        var body = Get(http, QueryUri(expression).ToString());
        if (body is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.Clone())];
    }

    private static double? Value(List<JsonElement> result) =>
        result.Count == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) : null;

    private static string Series(JsonElement series) =>
        series.GetProperty("metric").GetProperty("service").GetString() + " " + series.GetProperty("metric").GetProperty("real_server").GetString();

    private static bool Answers(HttpClient http, string path) => Get(http, path) is not null;

    private static string? Get(HttpClient http, string path)
    {
        try
        {
            using var response = http.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK ? response.Content.ReadAsStringAsync().GetAwaiter().GetResult() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every <c>expr</c> of the dashboards under examples/grafana (copied next to the tests).</summary>
    private static List<string> DashboardQueries()
    {
        var queries = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "grafana"), "*.json")
            .SelectMany(file => GrafanaDashboard.Queries(File.ReadAllText(file), variables: false)).ToList();
        Assert.NotEmpty(queries);
        return queries;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("reconciler-prometheus-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>
/// An <see cref="AgentLab"/> whose topology has, besides VRRP instance VI_1 (lb1 alone: MASTER) and service web on it,
/// health checks of two kinds: web's exec check passes for 10.0.0.3 and fails for 10.0.0.4; service api
/// (10.0.0.100:443) has a TCP check on 10.0.0.9:443, where nothing listens. The agent logs JSON
/// (<c>--log-format json</c>). Ready once /status shows the VIP held and every check settled.
/// </summary>
public sealed class CheckedAgentLab : IDisposable
{
    public const string Topology = """
        nodes:
          - {name: lb1, addresses: [10.0.0.1], interfaces: [eth0]}
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100}
            authentication: {password: "1111"}
            virtualAddresses: [10.0.0.100/24]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: dr
            vrrpInstance: VI_1
            healthCheck:
              type: exec
              interval: 2s
              exec: {command: [/bin/sh, -c, 'test "$RECONCILER_REAL_SERVER_ADDRESS" != 10.0.0.4'], timeout: 20s}
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}
              - {address: 10.0.0.4, port: 80, weight: 5}
          - name: api
            address: 10.0.0.100
            port: 443
            scheduler: rr
            forwarding: dr
            vrrpInstance: VI_1
            healthCheck: {type: tcp, interval: 2s, connectTimeout: 2s, retries: 0}
            realServers:
              - {address: 10.0.0.9, port: 443}

        """;

    public CheckedAgentLab() => Lab = new AgentLab(Topology, ["--log-format", "json"], Settled, "VI_1 MASTER with the VIP, 10.0.0.3 up, 10.0.0.4 and 10.0.0.9 down");

    public AgentLab Lab { get; }

    public void Dispose() => Lab.Dispose();

    private static bool Settled(AgentLab lab)
    {
        try
        {
            using var status = JsonDocument.Parse(lab.Http.GetStringAsync("/status").GetAwaiter().GetResult());
            var health = status.RootElement.GetProperty("services").EnumerateArray()
                .SelectMany(s => s.GetProperty("realServers").EnumerateArray())
                .ToDictionary(r => r.GetProperty("endpoint").GetString()!, r => r.GetProperty("health").GetString());
            return lab.HasVip()
                && status.RootElement.GetProperty("vrrp").EnumerateArray().Any(v => v.GetProperty("state").GetString() == "MASTER")
                && health.GetValueOrDefault("10.0.0.3:80") == "UP" && health.GetValueOrDefault("10.0.0.4:80") == "DOWN" && health.GetValueOrDefault("10.0.0.9:443") == "DOWN";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return false;
        }
    }
}
