using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Linux.Vrrp;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Tests.Vrrp;

public sealed class VrrpCheckRunnerTests
{
    private static TrackedCheck Check(string[] command, int rise = 1, int fall = 1, double timeout = 2) =>
        new("chk", command.ToValueList(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(timeout), rise, fall, 0);

    private static async Task<List<bool>> RunAsync(TrackedCheck check, int reports, TimeSpan within)
    {
        var seen = new ConcurrentQueue<bool>();
        await using var runner = new VrrpCheckRunner(check, (_, up) => seen.Enqueue(up), NullLogger.Instance);
        runner.Start();
        var watch = Stopwatch.StartNew();
        while (seen.Count < reports && watch.Elapsed < within)
        {
            await Task.Delay(20);
        }

        return [.. seen];
    }

    [Fact]
    public async Task Success_ReportsUpOnce()
    {
        var seen = await RunAsync(Check(["/bin/true"]), 1, TimeSpan.FromSeconds(20));
        Assert.Equal([true], seen);
    }

    [Fact]
    public async Task Failure_ReportsDown()
    {
        var seen = await RunAsync(Check(["/bin/false"], fall: 2), 1, TimeSpan.FromSeconds(20));
        Assert.Equal([false], seen);
    }

    [Fact]
    public async Task Overrun_IsKilledAndCountsAsFailure()
    {
        var watch = Stopwatch.StartNew();
        var seen = await RunAsync(Check(["/bin/sleep", "30"], timeout: 0.3), 1, TimeSpan.FromSeconds(20));
        Assert.Equal([false], seen);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the command was killed at its timeout");
    }

    [Fact]
    public async Task MissingCommand_IsFailure()
    {
        var seen = await RunAsync(Check(["/nonexistent/check"]), 1, TimeSpan.FromSeconds(20));
        Assert.Equal([false], seen);
    }
}
