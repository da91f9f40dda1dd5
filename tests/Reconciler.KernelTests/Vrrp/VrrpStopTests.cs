using System.Globalization;
using Reconciler.Vrrp;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// Graceful stop of our master against keepalived backups, timed on the wire: tcpdump on the bridge gives the moment
/// the priority-0 advert left; the test knows when it sent SIGTERM to the driver, or called
/// <see cref="VrrpService.Release"/> in-process. Asserts behaviour only (priority 0 on the wire and received by
/// keepalived while it was BACKUP, keepalived MASTER with the VIP, ours without it); the times are printed.
/// </summary>
[Collection("vrrp-timing")]
public sealed class VrrpStopTests(ITestOutputHelper output)
{
    private const string Vip = "10.77.0.100";
    private const int Stops = 3;
    private static readonly TimeSpan Start = VrrpLan.StartTimeout;

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(3, 0.1)]
    public void GracefulStop_PriorityZeroOnTheWire_KeepalivedTakesOver(int version, double advert)
    {
        var settings = new VrrpSettings(version, advert, Password: version == 2 ? "s3cret" : null);
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string n2 = lan.AddNode(2);
        using var capture = new VrrpCapture(lan);
        using var backup = new KeepalivedNode(n2, 100, settings);
        var toWire = new List<double>();
        var toTakeover = new List<double>();
        for (int i = 0; i < Stops; i++)
        {
            var started = DateTimeOffset.UtcNow;
            using var master = new OursNode(n1, 1, 150, settings);
            master.WaitState("MASTER", Start, started);
            VrrpInteropTests.Settle(master, backup);
            Assert.True(VrrpLan.HasAddress(n1, Vip), "our master holds the VIP");
            Thread.Sleep(TimeSpan.FromSeconds(Math.Max(1, 3 * advert)));

            var stopped = DateTimeOffset.UtcNow;
            master.Stop();
            var zero = capture.WaitFor(a => a.Source == "10.77.0.1" && a.Priority == 0, "priority-0 advert from ours", stopped, TimeSpan.FromSeconds(30));
            var tookOver = backup.WaitState("MASTER", TimeSpan.FromSeconds(30), stopped);

            // keepalived (-D) logs this only for a priority-0 advert that reaches it in BACKUP: it did not time out first.
            backup.Process.WaitForLine("Backup received priority 0 advertisement", TimeSpan.FromSeconds(10), stopped);
            Assert.True(master.Process.HasExited, "the driver exits after a graceful stop");
            Assert.False(VrrpLan.HasAddress(n1, Vip), "a stopped master drops the VIP");
            Assert.True(VrrpLan.HasAddress(n2, Vip), "keepalived holds the VIP");

            var signalled = master.Process.Lines.FirstOrDefault(l => l.Line.StartsWith("SIGTERM ", StringComparison.Ordinal));
            var released = master.Process.Lines.FirstOrDefault(l => l.Line.StartsWith("RELEASED ", StringComparison.Ordinal));
            toWire.Add((zero.At - stopped).TotalSeconds);
            toTakeover.Add((tookOver - stopped).TotalSeconds);
            string driver = (signalled.Line is null ? "" : FormattableString.Invariant($"; driver: signal handled at {Ms(signalled.Line) - stopped.ToUnixTimeMilliseconds()} ms"))
                + (released.Line is null ? "" : FormattableString.Invariant($", released at {Ms(released.Line) - stopped.ToUnixTimeMilliseconds()} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"v{version} {advert}s stop {i + 1}: SIGTERM -> priority 0 on the wire {(zero.At - stopped).TotalSeconds:0.000} s, -> keepalived MASTER {(tookOver - stopped).TotalSeconds:0.000} s (skew {VrrpInteropTests.Skew(version, 100, advert).TotalSeconds:0.000} s){driver}"));

            // The next round starts a new master at 150, which preempts keepalived back to BACKUP.
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"v{version} {advert}s: SIGTERM -> priority 0 median {Median(toWire):0.000} s (max {toWire.Max():0.000}), -> takeover median {Median(toTakeover):0.000} s"));
    }

    /// <summary>
    /// <see cref="VrrpService.Release"/> in-process (what the agent's SIGTERM handler calls), two instances mastered by
    /// ours in one service, each backed up by a keepalived: priority 0 leaves for both, both keepalived take over.
    /// </summary>
    [Fact]
    public void ServiceRelease_TwoMasters_PriorityZeroFromEach_KeepalivedTakesOverBoth()
    {
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string n2 = lan.AddNode(2);
        string n3 = lan.AddNode(3);
        var topology = LabTopology.Load("""
            nodes:
              - {name: n1, addresses: [10.77.0.1]}
              - {name: n2, addresses: [10.77.0.2]}
              - {name: n3, addresses: [10.77.0.3]}
            vrrpInstances:
              - {name: VI_1, interface: eth0, virtualRouterId: 51, version: 3, advertInterval: 100ms, priorities: {n1: 150, n2: 100}, virtualAddresses: [10.77.0.100/24]}
              - {name: VI_2, interface: eth0, virtualRouterId: 52, version: 3, advertInterval: 100ms, priorities: {n1: 150, n3: 100}, virtualAddresses: [10.77.0.101/24]}

            """);
        using var capture = new VrrpCapture(lan);
        using var backup1 = new KeepalivedNode(n2, 100, new VrrpSettings(3, 0.1, Vrid: 51, Vip: "10.77.0.100/24"));
        using var backup2 = new KeepalivedNode(n3, 100, new VrrpSettings(3, 0.1, Vrid: 52, Vip: "10.77.0.101/24"));
        backup1.WaitState("BACKUP", Start);
        backup2.WaitState("BACKUP", Start);

        using var ours = new ServiceNode(n1, topology, "n1");
        var deadline = DateTimeOffset.UtcNow + Start;
        while (ours.Service.GetStatus().Any(s => s.State != VrrpState.Master) && DateTimeOffset.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.All(ours.Service.GetStatus(), s => Assert.Equal(VrrpState.Master, s.State));
        Thread.Sleep(1000);
        Assert.Equal("BACKUP", backup1.CurrentState);
        Assert.Equal("BACKUP", backup2.CurrentState);
        Assert.True(VrrpLan.HasAddress(n1, "10.77.0.100") && VrrpLan.HasAddress(n1, "10.77.0.101"));

        var called = DateTimeOffset.UtcNow;
        ours.Service.Release();
        var returned = DateTimeOffset.UtcNow;

        var zero1 = capture.WaitFor(a => a.Source == "10.77.0.1" && a.Vrid == 51 && a.Priority == 0, "priority 0 for VRID 51", called, TimeSpan.FromSeconds(10));
        var zero2 = capture.WaitFor(a => a.Source == "10.77.0.1" && a.Vrid == 52 && a.Priority == 0, "priority 0 for VRID 52", called, TimeSpan.FromSeconds(10));
        backup1.WaitState("MASTER", TimeSpan.FromSeconds(10), called);
        backup2.WaitState("MASTER", TimeSpan.FromSeconds(10), called);
        backup1.Process.WaitForLine("Backup received priority 0 advertisement", TimeSpan.FromSeconds(10), called);
        backup2.Process.WaitForLine("Backup received priority 0 advertisement", TimeSpan.FromSeconds(10), called);
        Assert.False(VrrpLan.HasAddress(n1, "10.77.0.100") || VrrpLan.HasAddress(n1, "10.77.0.101"), "released masters drop their VIPs");
        Assert.All(ours.Service.GetStatus(), s => Assert.Equal(VrrpState.Stopped, s.State));
        var stops = ours.Transitions.Where(t => t.Transition.To == VrrpState.Stopped && t.Transition.From == VrrpState.Master).ToList();
        Assert.Equal(2, stops.Count);
        string routers = string.Join(", ", stops.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Transition.InstanceName} {(s.At - called).TotalMilliseconds:0.0} ms")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VrrpService.Release(): priority 0 on the wire after {(zero1.At - called).TotalMilliseconds:0.0} ms (VI_1) and {(zero2.At - called).TotalMilliseconds:0.0} ms (VI_2); routers stopped (priority 0 sent) at {routers}; Release() returned after {(returned - called).TotalMilliseconds:0} ms (VIPs removed)"));
    }

    private static long Ms(string line) => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
