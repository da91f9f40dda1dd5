using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Linux.Files;
using Reconciler.Topology;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests;

/// <summary>A FILE_CHECK through the monitor: the real probe factory, a real file, real inotify; fake time never
/// moves past the first attempt (an hour's interval), so every later attempt is one a write woke.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HealthMonitorFileCheckTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("file-check-");
    private readonly TrackedFileWatcher _watcher = new();

    private string File => Path.Combine(_directory.FullName, "web-weight");

    public void Dispose()
    {
        _watcher.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task FileWritten_OverlayWeightFollows_BottomValueTakesTheServerDown_AndBack()
    {
        await System.IO.File.WriteAllTextAsync(File, "0\n", TestContext.Current.CancellationToken);
        var tracked = new TrackedCheck("web-weight", [], TopologyDefaults.CheckInterval, TopologyDefaults.CheckInterval, 1, 1, 2)
        {
            File = new TrackedFile(File, false, null),
        };
        var check = Build.Check(HealthCheckKind.File, intervalSeconds: 3600) with { File = new FileCheck("web-weight", null, false) };
        var topology = Build.Topology(Build.Service("web", [Build.Server("10.0.0.101", weight: 10, check: check)])) with { Checks = [tracked] };
        await using var h = new MonitorHarness(topology, probes: time => new HealthProbeFactory(time, watchFile: _watcher.Watch));
        await h.StartAsync();
        await Wait.UntilAsync(() => h.Health("web", "10.0.0.101").Weight == 10, "the first read: weight 10 + 0 x 2");

        await Write("5");
        await Wait.UntilAsync(() => h.Health("web", "10.0.0.101").Weight == 20, "weight 10 + 5 x 2");

        await Write("-2147483647");
        await Wait.UntilAsync(() => !h.Health("web", "10.0.0.101").Present, "the server down at the bottom value");

        await Write("1");
        await Wait.UntilAsync(() => h.Health("web", "10.0.0.101") is { Present: true, Weight: 12 }, "the server back at weight 10 + 1 x 2");
        Assert.Contains(h.Of(HealthChangeKind.ServerDown), c => c.Reason.Contains("fault", StringComparison.Ordinal));
    }

    private Task Write(string value) => System.IO.File.WriteAllTextAsync(File, value + "\n", TestContext.Current.CancellationToken);
}
