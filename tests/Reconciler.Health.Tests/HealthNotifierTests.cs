using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Health.Tests.Support;
using Reconciler.Tests.Shared.Scripts;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests;

/// <summary>
/// keepalived's notify_up / notify_down / quorum_up / quorum_down / omega, run for real (/bin/sh as nobody through the
/// agent's script runner): each command appends its event and environment to a log in an open folder.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HealthNotifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);

    private string Log => Path.Combine(_folder.FullName, "events");

    private string Append(string what) =>
        $"/bin/sh -c 'echo \"{what} $RECONCILER_EVENT $RECONCILER_SERVICE $RECONCILER_REAL_SERVER_ADDRESS $RECONCILER_REAL_SERVER_PORT\" >> {Log}'";

    private VirtualService Web(bool atShutdown = false) =>
        Build.Service("web", [
            Build.Server("10.0.0.101") with { Notify = new RealServerNotify(Append("rs-up"), Append("rs-down")) },
            Build.Server("10.0.0.102"),
        ]) with { Notify = new ServiceNotify(Append("quorum-up"), Append("quorum-down"), atShutdown) };

    [Fact]
    public async Task Changes_RunTheirCommands_InOrder_WithTheirEnvironment()
    {
        await using var notifier = new HealthNotifier(ScriptFixtures.AsNobody, NullLogger.Instance);
        notifier.Update(Build.Topology(Web()));

        notifier.OnChange(Change(HealthChangeKind.ServerDown, "10.0.0.101"));
        notifier.OnChange(Change(HealthChangeKind.ServerDown, "10.0.0.102")); // no commands of its own
        notifier.OnChange(Change(HealthChangeKind.QuorumLost));
        notifier.OnChange(Change(HealthChangeKind.ServerUp, "10.0.0.101"));
        notifier.OnChange(Change(HealthChangeKind.QuorumRegained));
        notifier.OnChange(Change(HealthChangeKind.ServiceWithdrawn)); // no command: quorum_down covers it
        notifier.OnChange(Change(HealthChangeKind.QuorumLost, service: "other")); // not in the topology
        await notifier.NotifyShutdownAsync(null, TimeSpan.FromSeconds(30));

        Assert.Equal(
            ["rs-down down web 10.0.0.101 80", "quorum-down quorum-down web  ", "rs-up up web 10.0.0.101 80", "quorum-up quorum-up web  "],
            File.ReadAllLines(Log));
        Assert.Equal(4, notifier.Run);
        Assert.Equal(0, notifier.Failures);
    }

    [Fact]
    public async Task Shutdown_WithAtShutdown_RunsTheDownCommandsOfWhatIsUp_AndQuorumDown()
    {
        await using var notifier = new HealthNotifier(ScriptFixtures.AsNobody, NullLogger.Instance);
        notifier.Update(Build.Topology(Web(atShutdown: true)));

        await notifier.NotifyShutdownAsync(null, TimeSpan.FromSeconds(30));

        Assert.Equal(["rs-down down web 10.0.0.101 80", "quorum-down quorum-down web  "], File.ReadAllLines(Log));
    }

    [Fact]
    public async Task Shutdown_WithAtShutdown_LeavesOutWhatIsAlreadyDown()
    {
        await using var notifier = new HealthNotifier(ScriptFixtures.AsNobody, NullLogger.Instance);
        notifier.Update(Build.Topology(Web(atShutdown: true)));
        notifier.OnChange(Change(HealthChangeKind.QuorumLost));
        await using var harness = new MonitorHarness(Build.Topology(Web(atShutdown: true) with { HealthCheck = Build.Check() }));
        await harness.StartAsync();
        harness["10.0.0.101:80"].Healthy = false;
        await harness.AdvanceAsync(1);

        await notifier.NotifyShutdownAsync(harness.Monitor.Current, TimeSpan.FromSeconds(30));

        // quorum-down ran once, for the loss; at shutdown neither the down server nor the lost quorum runs again.
        Assert.Equal(["quorum-down quorum-down web  "], File.ReadAllLines(Log));
    }

    [Fact]
    public async Task Shutdown_WithoutAtShutdown_RunsNothing()
    {
        await using var notifier = new HealthNotifier(ScriptFixtures.AsNobody, NullLogger.Instance);
        notifier.Update(Build.Topology(Web()));

        await notifier.NotifyShutdownAsync(null, TimeSpan.FromSeconds(30));

        Assert.False(File.Exists(Log));
    }

    [Fact]
    public async Task AFailingCommand_IsCounted_AndTheNextStillRuns()
    {
        await using var notifier = new HealthNotifier(ScriptFixtures.AsNobody, NullLogger.Instance);
        var web = Web() with { Notify = new ServiceNotify(Append("quorum-up"), "/bin/sh -c 'exit 3'", false) };
        notifier.Update(Build.Topology(web));

        notifier.OnChange(Change(HealthChangeKind.QuorumLost));
        notifier.OnChange(Change(HealthChangeKind.QuorumRegained));
        await notifier.NotifyShutdownAsync(null, TimeSpan.FromSeconds(30));

        Assert.Equal(1, notifier.Failures);
        Assert.Equal(["quorum-up quorum-up web  "], File.ReadAllLines(Log));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static HealthChange Change(HealthChangeKind kind, string? address = null, string service = "web") =>
        new(1, Now, kind, service, address is null ? null : IPAddress.Parse(address), address is null ? null : 80, "test");
}
