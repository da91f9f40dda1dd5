using Reconciler.Agent.Status;

namespace Reconciler.Agent.Tests.Status;

public sealed class StatusRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 13, 2, 0, TimeSpan.Zero);

    private static readonly CommitView Applied = new("0123456789abcdef0123456789abcdef01234567", "Add web", "Alice <alice@example.com>", new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.FromHours(2)));

    private static readonly CommitView Refused = new("fedcba9876543210fedcba9876543210fedcba98", "Break it", "Bob <bob@example.com>", Now);

    private static AgentStatus Representative() => new(
        "lb1",
        Now.AddHours(-1).AddMinutes(-2),
        Now,
        new SourceView(
            "https://git.example.com/lb/topology.git",
            "main",
            "Stalled",
            Applied,
            Refused,
            ["topology/lb.yaml:12:7: error: port must be at most 65535", "topology/lb.yaml:20:3: error: unknown node 'lb9'"],
            "commit fedcba987654 rejected",
            null),
        new ReconcileView(Now.AddSeconds(-5), ["commit 0123456789ab", "health change"], 12.34, Applied.Sha, 3, 0, 1, "applied"),
        [
            new VrrpView("VI_1", "eth0", 51, 2, "BACKUP", "Backup", 100, 90, "10.0.0.2", Now.AddMinutes(-1), "Startup", 12, 300, 2, new Dictionary<string, long>(), new Dictionary<string, bool?>()),
            new VrrpView("VI_2", "eth1", 52, 3, "MASTER", "Master", 100, 100, "10.0.0.1", Now.AddMinutes(-1), "MasterDown", 400, 0, 0, new Dictionary<string, long>(), new Dictionary<string, bool?>()),
        ],
        [
            new ServiceView("web", "TCP 10.0.0.100:80", "VI_1", InKernel: true, "normal",
            [
                new RealServerView("10.0.1.1:8080", 5, 0, 0, "DOWN", "connection refused", Now.AddSeconds(-30)),
                new RealServerView("10.0.1.2:8080", 3, null, null, "DOWN", null, Now.AddSeconds(-30)),
                new RealServerView("10.0.1.3:8080", 1, 1, 1, "UP", null, null),
            ]),
            new ServiceView("dns", "UDP 10.0.0.100:53", null, InKernel: false, "withdrawn: quorum 2 not met (1 up)", []),
        ],
        [.. Enumerable.Range(1, 7).Select(i => new ErrorView(Now.AddSeconds(-i * 10), "git", $"error {i}"))]);

    private static IReadOnlyList<string> Lines(AgentStatus status)
    {
        var text = StatusRenderer.Render(status);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void Render_Representative_HeaderAndSourceLines()
    {
        var lines = Lines(Representative());

        Assert.Equal("Node lb1, up 1h2m", lines[0]);
        Assert.Equal("Source: https://git.example.com/lb/topology.git main (Stalled)", lines[1]);
        Assert.Equal("  applied:  0123456789ab Add web (Alice <alice@example.com>, 2026-11-25 12:00:00Z)", lines[2]);
        Assert.Equal("  rejected: fedcba987654 Break it (Bob <bob@example.com>)", lines[3]);
        Assert.Equal("    topology/lb.yaml:12:7: error: port must be at most 65535", lines[4]);
        Assert.Equal("    topology/lb.yaml:20:3: error: unknown node 'lb9'", lines[5]);
        Assert.Equal("  commit fedcba987654 rejected", lines[6]);
    }

    [Fact]
    public void Render_Representative_LastReconcileAndVrrpLines()
    {
        var lines = Lines(Representative());

        Assert.Contains("Last reconcile: 5s ago, applied, 3 operations (1 drift) in 12.3 ms; why: commit 0123456789ab, health change", lines);
        Assert.Contains("VRRP VI_1 (VRID 51, v2, eth0): BACKUP, priority 90/100, master 10.0.0.2, adverts 12 sent / 300 received / 2 dropped", lines);
        Assert.Contains("VRRP VI_2 (VRID 52, v3, eth1): MASTER, priority 100/100, adverts 400 sent / 0 received / 0 dropped", lines);
    }

    [Fact]
    public void Render_Representative_ServicesWithRealServerWeights()
    {
        var lines = Lines(Representative());

        Assert.Contains("Service web TCP 10.0.0.100:80 [VRRP VI_1]: in kernel", lines);
        Assert.Contains("  10.0.1.1:8080            DOWN      weight 0 (configured 5), kernel 0 - connection refused", lines);
        Assert.Contains("  10.0.1.2:8080            DOWN      removed, not in kernel", lines);
        Assert.Contains("  10.0.1.3:8080            UP        weight 1, kernel 1", lines);
        Assert.Contains("Service dns UDP 10.0.0.100:53: not in kernel, withdrawn: quorum 2 not met (1 up)", lines);
    }

    [Fact]
    public void Render_SevenErrors_TheLastFiveWithAge()
    {
        var lines = Lines(Representative());

        var header = lines.ToList().IndexOf("Recent errors:");
        Assert.True(header > 0);
        Assert.Equal(
            ["  30s ago [git] error 3", "  40s ago [git] error 4", "  50s ago [git] error 5", "  1m0s ago [git] error 6", "  1m10s ago [git] error 7"],
            lines.Skip(header + 1));
    }

    [Fact]
    public void Render_FreshAgent_NothingAppliedYetAndNoOptionalSections()
    {
        var status = new AgentStatus(
            "lb2",
            Now.AddSeconds(-3),
            Now,
            new SourceView("file:///srv/git/t.git", "v1.0", "Ready", null, null, [], "ignored while ready", null),
            null,
            [],
            [],
            []);

        Assert.Equal(
            ["Node lb2, up 3s", "Source: file:///srv/git/t.git v1.0 (Ready)", "  applied:  none yet (nothing is applied before the first valid commit)"],
            Lines(status));
    }
}
