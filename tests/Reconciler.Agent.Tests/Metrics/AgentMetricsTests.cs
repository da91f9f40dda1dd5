using System.Net;
using Reconciler.Agent.Metrics;
using Reconciler.Ipvs;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Model;

namespace Reconciler.Agent.Tests.Metrics;

public sealed class AgentMetricsTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);

    private static string Written(AgentMetrics metrics)
    {
        var writer = new PrometheusWriter();
        metrics.WriteTo(writer);
        return writer.ToString();
    }

    [Fact]
    public void WriteTo_NothingRecorded_ParsesWithZeroes()
    {
        var parsed = PrometheusText.Parse(Written(new AgentMetrics()));

        Assert.Equal(0, parsed.Value("reconciler_reconciles_total", ("result", "success")));
        Assert.Equal(0, parsed["reconciler_reconcile_duration_seconds"].Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value);
        Assert.Equal("histogram", parsed["reconciler_reconcile_duration_seconds"].Type);
    }

    [Fact]
    public void WriteTo_AfterActivity_ParsesAsExpositionWithTheRecordedCounts()
    {
        var metrics = new AgentMetrics();
        metrics.RecordReconcile(TimeSpan.FromMilliseconds(3), failed: false);
        metrics.RecordReconcile(TimeSpan.FromMilliseconds(40), failed: false);
        metrics.RecordReconcile(TimeSpan.FromSeconds(2), failed: true);
        metrics.RecordReconcile(TimeSpan.FromMinutes(1), failed: false);
        metrics.RecordSkipped();
        metrics.RecordStep(ServiceStep(StepAction.Create), succeeded: true);
        metrics.RecordStep(ServiceStep(StepAction.Update, drift: true), succeeded: true);
        metrics.RecordStep(ServiceStep(StepAction.Delete), succeeded: true);
        metrics.RecordStep(new AddressStep(StepAction.Create, "lo", new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32), "web", false, null), succeeded: true);
        metrics.RecordStep(DestinationStep(StepAction.Drain), succeeded: true);
        metrics.RecordStep(DestinationStep(StepAction.Create), succeeded: false);
        metrics.RecordPoll(failed: false);
        metrics.RecordPoll(failed: true);
        metrics.RecordPoll(failed: false);
        metrics.RecordCommitApplied();
        metrics.RecordCommitRejected(Reconciler.GitSource.Source.RejectionKind.Invalid);
        metrics.RecordCommitRejected(Reconciler.GitSource.Source.RejectionKind.NotFastForward);

        var parsed = PrometheusText.Parse(Written(metrics));

        Assert.Equal(3, parsed.Value("reconciler_reconciles_total", ("result", "success")));
        Assert.Equal(1, parsed.Value("reconciler_reconciles_total", ("result", "failed")));
        Assert.Equal(1, parsed.Value("reconciler_reconciles_total", ("result", "skipped")));
        Assert.Equal(2, parsed.Value("reconciler_operations_applied_total", ("action", "create")));
        Assert.Equal(1, parsed.Value("reconciler_operations_applied_total", ("action", "update")));
        Assert.Equal(1, parsed.Value("reconciler_operations_applied_total", ("action", "drain")));
        Assert.Equal(1, parsed.Value("reconciler_operations_applied_total", ("action", "delete")));
        Assert.Equal(1, parsed.Value("reconciler_operations_failed_total"));
        Assert.Equal(1, parsed.Value("reconciler_drift_repaired_total"));
        Assert.Equal(1, parsed.Value("reconciler_commits_applied_total"));
        Assert.Equal(1, parsed.Value("reconciler_commits_rejected_total", ("kind", "invalid")));
        Assert.Equal(1, parsed.Value("reconciler_commits_rejected_total", ("kind", "not-fast-forward")));
        Assert.Equal(0, parsed.Value("reconciler_commits_rejected_total", ("kind", "signature")));
        Assert.Equal(0, parsed.Value("reconciler_commits_rejected_total", ("kind", "safety-limit")));
        Assert.Equal(2, parsed.Value("reconciler_git_polls_total", ("result", "reached")));
        Assert.Equal(1, parsed.Value("reconciler_git_polls_total", ("result", "unreachable")));
        Assert.Equal(5, metrics.OperationsApplied);
        Assert.Equal(4, metrics.Reconciles);

        var histogram = parsed["reconciler_reconcile_duration_seconds"].Samples;
        double Bucket(string le) => histogram.Single(s => s.Name == "reconciler_reconcile_duration_seconds_bucket" && s.Labels["le"] == le).Value;
        Assert.Equal(1, Bucket("0.005"));
        Assert.Equal(1, Bucket("0.025"));
        Assert.Equal(2, Bucket("0.05"));
        Assert.Equal(2, Bucket("1"));
        Assert.Equal(3, Bucket("2.5"));
        Assert.Equal(3, Bucket("30"));
        Assert.Equal(4, Bucket("+Inf"));
        Assert.Equal(4, histogram.Single(s => s.Name == "reconciler_reconcile_duration_seconds_count").Value);
        Assert.Equal(62.043, histogram.Single(s => s.Name == "reconciler_reconcile_duration_seconds_sum").Value, 9);
    }

    [Fact]
    public void WriteTo_Twice_SameFamiliesEachTime()
    {
        var metrics = new AgentMetrics();
        metrics.RecordReconcile(TimeSpan.FromMilliseconds(7), failed: false);

        Assert.Equal(Written(metrics), Written(metrics));
    }

    private static ServiceStep ServiceStep(StepAction action, bool drift = false) =>
        new(action, Web, "web", null, [], drift, null);

    private static DestinationStep DestinationStep(StepAction action) =>
        new(action, Web, "web", new IpvsDestination(IPAddress.Parse("10.0.1.1"), 8080, IpvsForwarding.Masquerade, 0, 0, 0), [], false, null);
}
