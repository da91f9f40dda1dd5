using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Linux.Vrrp;
using Reconciler.Tests.Shared.Scripts;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Tests.Vrrp;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VrrpNotifierTests
{
    [Fact]
    public async Task Transitions_RunStateScriptThenGenericWithKeepalivedArguments_InOrder()
    {
        var directory = Directory.CreateTempSubdirectory("notify-");
        try
        {
            string log = Path.Combine(directory.FullName, "log");
            var notify = new VrrpNotify(
                Master: $"/bin/sh -c 'echo master-script >> {log}'",
                Backup: null,
                Fault: null,
                Stop: $"/bin/sh -c 'echo stop-script >> {log}'",
                Any: $"/bin/sh -c 'echo \"$*\" >> {log}' notify",
                Webhook: null);
            var handled = new ConcurrentQueue<VrrpState>();
            var notifier = new VrrpNotifier(notify, "node-a", ScriptFixtures.AsRoot, NullLogger.Instance);
            notifier.Handled += t => handled.Enqueue(t.To);
            notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 150), DateTimeOffset.UtcNow);
            notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Master, VrrpState.Stopped, VrrpTransitionReason.Shutdown, 150), DateTimeOffset.UtcNow);
            await notifier.DisposeAsync();

            Assert.Equal(["master-script", "INSTANCE VI_1 MASTER 150", "stop-script", "INSTANCE VI_1 STOP 150"], File.ReadAllLines(log));
            Assert.Equal([VrrpState.Master, VrrpState.Stopped], handled);
            Assert.Equal(0, notifier.Failures);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task NotifyCommand_RunsAsTheScriptUserWithoutTheAgentsEnvironment()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        Environment.SetEnvironmentVariable("RECONCILER_NOTIFY_TEST_TOKEN", "s3cret");
        try
        {
            string log = Path.Combine(folder.FullName, "log");
            var notify = new VrrpNotify(Master: $"/bin/sh -c 'echo $(id -u) ${{RECONCILER_NOTIFY_TEST_TOKEN:-none}} > {log}'", null, null, null, null, null);
            var notifier = new VrrpNotifier(notify, "node-a", ScriptFixtures.AsNobody, NullLogger.Instance);
            notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 150), DateTimeOffset.UtcNow);
            await notifier.DisposeAsync();

            Assert.Equal(["65534 none"], File.ReadAllLines(log));
            Assert.Equal(0, notifier.Failures);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECONCILER_NOTIFY_TEST_TOKEN", null);
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task FailingOrHungHook_IsCountedAndKilled_QueueGoesOn()
    {
        var notify = new VrrpNotify(Master: "/bin/sleep 30", Backup: "/bin/false", Fault: "/nonexistent/x", Stop: null, Any: null, Webhook: null);
        var handled = new ConcurrentQueue<VrrpState>();
        var notifier = new VrrpNotifier(notify, "node-a", ScriptFixtures.AsNobody, NullLogger.Instance, timeout: TimeSpan.FromMilliseconds(300));
        notifier.Handled += t => handled.Enqueue(t.To);
        var watch = Stopwatch.StartNew();
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 100), DateTimeOffset.UtcNow);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvert, 100), DateTimeOffset.UtcNow);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Fault, VrrpTransitionReason.Fault, 100), DateTimeOffset.UtcNow);
        await notifier.DisposeAsync();
        Assert.Equal(3, notifier.Failures);
        Assert.Equal([VrrpState.Master, VrrpState.Backup, VrrpState.Fault], handled);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }
}
