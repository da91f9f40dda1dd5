using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Agent.Tests.Engine;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Tests.Shared.Grafana;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Metrics;

/// <summary>
/// examples/grafana's dashboards query only what the agent exports: every metric name in their PromQL (panel
/// queries and template variables) is a family or a sample name of the /metrics of an agent with VRRP, services and
/// health checks (every family is written even when it has no sample yet, so the names do not depend on activity).
/// That the queries parse and run is checked against a real Prometheus in the kernel tests.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "inf", "nan", "group_left", "group_right" };

    public static TheoryData<string> Dashboards() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "grafana"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Dashboard_EveryMetricItQueries_IsOneTheAgentExports(string file)
    {
        var exported = await ExportedNamesAsync();

        var queried = Queries(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "grafana", file))).SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(queried);
        Assert.Empty(queried.Except(exported).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboard_ShowsWhatOperatorsAskFor()
    {
        var queried = Queries(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "grafana", "reconciler-agents.json"))).SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "reconciler_vrrp_state", // VRRP state
                "reconciler_vrrp_transitions_total", // failovers
                "reconciler_health_state_changes_total", // health changes
                "reconciler_commits_applied_total",
                "reconciler_commits_rejected_total",
                "reconciler_reconcile_duration_seconds_bucket",
                "reconciler_operations_applied_total", // IPVS operations
            },
            queried);
    }

    [Theory]
    [InlineData("""histogram_quantile(0.99, sum by (le, instance) (rate(a_bucket{job="x{y}", instance=~"$instance"}[$__rate_interval])))""", "a_bucket")]
    [InlineData("""count by (instance) (b == 0) or on (instance) group_left (kind) sum without (le) (c offset 5m) * 2e3""", "b c")]
    [InlineData("""3 * max by (instance) (d{state="MASTER"}) + max(e{state='it\'s'})""", "d e")]
    [InlineData("""label_values(f, instance)""", "f")]
    [InlineData("""label_values(instance)""", "")]
    public void MetricNames_PromQl_OnlyTheMetricsNotFunctionsLabelsStringsOrVariables(string expression, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), MetricNames(expression));
    }

    /// <summary>The names in the /metrics of a representative agent: VRRP MASTER, a service with a TCP check, a commit in force.</summary>
    private static async Task<HashSet<string>> ExportedNamesAsync()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("lb2 is a real server too", Topologies.VrrpPeerIsRealServer));
        harness.Vrrp.InitialState = VrrpState.Master;
        await harness.PollAndReconcileAsync();
        var families = PrometheusText.Parse(harness.Agent.WriteMetrics()).Values;
        return families.Select(f => f.Name).Concat(families.SelectMany(f => f.Samples.Select(s => s.Name))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every PromQL text of a dashboard: each <c>expr</c> (panel targets, at any depth) and each query variable's query.</summary>
    private static List<string> Queries(string json) => GrafanaDashboard.Queries(json, variables: true);

    /// <summary>
    /// The metric names a PromQL expression (or Grafana's <c>label_values(metric, label)</c>) selects: identifiers left
    /// once strings, label matchers, ranges, Grafana variables and the label lists of <c>by</c>, <c>without</c>,
    /// <c>on</c>, <c>ignoring</c>, <c>group_left</c> and <c>group_right</c> are removed, that are not followed by a
    /// parenthesis (functions and aggregations) and are not keywords.
    /// </summary>
    internal static List<string> MetricNames(string expression)
    {
        if (LabelValues().Match(expression) is { Success: true } variable)
        {
            expression = variable.Groups["metric"].Value;
        }

        var text = Strings().Replace(expression, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Variables().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        return Identifiers().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).Distinct().ToList();
    }

    [GeneratedRegex("""^\s*label_values\(\s*(?:(?<metric>[^,]*),)?\s*\w+\s*\)\s*$""")]
    private static partial Regex LabelValues();

    [GeneratedRegex("""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""")]
    private static partial Regex Strings();

    [GeneratedRegex("""\{[^}]*\}""")]
    private static partial Regex Matchers();

    [GeneratedRegex("""\[[^\]]*\]""")]
    private static partial Regex Ranges();

    [GeneratedRegex("""\$\{?\w+\}?""")]
    private static partial Regex Variables();

    [GeneratedRegex("""\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)""")]
    private static partial Regex LabelLists();

    [GeneratedRegex("""(?<![\w.])(?>[a-zA-Z_:][\w:]*)(?!\s*\()""")]
    private static partial Regex Identifiers();
}
