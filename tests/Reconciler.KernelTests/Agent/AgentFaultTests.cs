using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Native;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// The faults a running agent must survive, against the real executable and kernel (<see cref="AgentLab"/>): drift
/// made by hand with ipvsadm and ip is repaired by the drift check and reported; a flood of invalid VRRP adverts
/// (another VRID, a wrong password, a bad checksum, truncated) and of well-formed priority-254 adverts sent from off
/// the segment (TTL 64) is dropped and counted without a state change (a valid advert of higher priority from the
/// segment is not in it: VRRP obeys that one, see the security tests); a burst of requests on the endpoint is answered while
/// the agent keeps reconciling, and the endpoint is not reachable from the segment.
/// </summary>
[Collection("vrrp-timing")]
public sealed class AgentFaultTests(AgentLab lab, ITestOutputHelper output) : IClassFixture<AgentLab>
{
    private static readonly TimeSpan RepairTimeout = TimeSpan.FromSeconds(90); // one drift interval, plus an emulated reconcile

    [Fact]
    public void ManualDrift_IpvsadmAndIpByHand_RepairedByTheDriftCheck_ReportedAsDrift_ForeignServiceLeftAlone()
    {
        var before = lab.Metrics();
        lab.Ipvsadm("-A", "-t", "10.0.0.200:80", "-s", "rr"); // another tool's service: not the agent's to touch
        var broken = DateTimeOffset.UtcNow;
        Lab.Run("ip", "netns", "exec", lab.Node, "sh", "-ec",
            $"ipvsadm -d -t {AgentLab.Vip}:80 -r 10.0.0.3:80; ipvsadm -e -t {AgentLab.Vip}:80 -r 10.0.0.4:80 -g -w 9; ip addr del {AgentLab.Vip}/24 dev eth0").Check("hand edits");

        var repaired = AgentLab.WaitUntil(() => lab.ServiceTable() == AgentLab.AppliedTable && lab.HasVip(), "drift repaired", RepairTimeout);
        Thread.Sleep(500);
        var after = lab.Metrics();
        var repairLines = lab.Agent.Lines.Where(l => l.At >= broken).Select(l => l.Line).ToList();

        output.WriteLine(string.Join('\n', repairLines));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drift repaired {repaired.TotalSeconds:0.0} s after the hand edits (drift interval {AgentLab.DriftInterval.TotalSeconds:0} s)"));
        Assert.Equal(3, after.Sum("reconciler_drift_repaired_total") - before.Sum("reconciler_drift_repaired_total"));
        // Repaired by the drift check, not by anything else (the hand edits race the timer, so maybe over two
        // reconciles): the real server and its weight by a plan, the VRRP VIP by its one writer, the MASTER's router.
        var repairs = repairLines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Applying (\d+) operations \(([^)]*)\)")).Where(m => m.Success).ToList();
        Assert.NotEmpty(repairs);
        Assert.All(repairs, m => Assert.Equal("drift check", m.Groups[2].Value));
        Assert.Equal(2, repairs.Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        var vipBack = Assert.Single(repairLines, l => l.Contains($"{AgentLab.Vip}/24 on eth0 was missing", StringComparison.Ordinal));
        Assert.Contains("its router put it back (drift check)", vipBack, StringComparison.Ordinal);
        Assert.Contains("-A -t 10.0.0.200:80 -s rr", lab.Ipvsadm("-Sn"), StringComparison.Ordinal);
        Assert.Equal(0, after.Sum("reconciler_operations_failed_total") - before.Sum("reconciler_operations_failed_total"));
        lab.Ipvsadm("-D", "-t", "10.0.0.200:80");
    }

    [Fact]
    public void FloodOfInvalidAndOffSegmentAdverts_DroppedAndCountedByReason_NoStateChange()
    {
        const int Rounds = 2000;
        var vip = IPAddress.Parse(AgentLab.Vip);
        var source = IPAddress.Parse(AgentLab.SegmentAddress);
        var group = VrrpConstants.VRRP_MCAST_GROUP4;
        VrrpAdvert Advert(byte vrid, string password) =>
            new(2, AddressFamily.InterNetwork, vrid, 254, TimeSpan.FromSeconds(1), new[] { vip }.ToValueList(), VrrpAuthType.SimpleText, VrrpPassword.Encode(password));
        var good = VrrpCodec.Encode(Advert(51, "1111"), source, group);
        var badChecksum = (byte[])good.Clone();
        badChecksum[6] ^= 0xFF;
        byte[][] spoofed = [VrrpCodec.Encode(Advert(52, "1111"), source, group), VrrpCodec.Encode(Advert(51, "guess"), source, group), badChecksum, good[..5]];
        string[] reasons = ["VirtualRouterIdMismatch", "AuthFailure", "ChecksumInvalid", "TooShort", "TtlInvalid"];

        AgentLab.WaitUntil(() => lab.Metrics().Sum("reconciler_vrrp_state", "state=\"MASTER\"") == 1, "VI_1 MASTER", RepairTimeout);
        var before = lab.Metrics();
        var socketDropsBefore = RawSocketDrops();
        var cpuBefore = lab.AgentCpuTime();
        var clock = Stopwatch.StartNew();
        int sent = LinuxNative.InNetworkNamespace("/run/netns/" + lab.Segment, () =>
        {
            using var attacker = PacketNative.OpenVrrp(AddressFamily.InterNetwork, "eth0", lab.SegmentInterfaceIndex, source, joinGroup: null);
            using var lowTtl = PacketNative.OpenVrrp(AddressFamily.InterNetwork, "eth0", lab.SegmentInterfaceIndex, source, joinGroup: null);
            PacketNative.SetTimeToLive(lowTtl, 64); // a well-formed priority-254 advert from off the segment: must not win
            int count = 0;
            for (int round = 0; round < Rounds; round++)
            {
                foreach (var packet in spoofed)
                {
                    PacketNative.SendTo(attacker, packet, group, lab.SegmentInterfaceIndex);
                }

                PacketNative.SendTo(lowTtl, good, group, lab.SegmentInterfaceIndex);
                count += spoofed.Length + 1;
                if (round % 100 == 99)
                {
                    Thread.Sleep(10); // paced below the veth backlog (1,000 packets), so the socket is what is measured
                }
            }

            return count;
        });
        var sending = clock.Elapsed;

        // Every packet either reached the agent (and is counted) or was dropped by the kernel on the way: wait for the counts to settle.
        double Counted(PrometheusSample m) => reasons.Sum(r => m.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{r}\"") - before.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{r}\""));
        AgentLab.WaitUntil(() => Counted(lab.Metrics()) + (RawSocketDrops() - socketDropsBefore) + VethDrops() >= sent, "every flood packet counted or dropped by the kernel", RepairTimeout);
        var processed = clock.Elapsed;
        var cpu = lab.AgentCpuTime() - cpuBefore;
        Thread.Sleep(3000); // past the master down interval (3 x 1 s + skew): a spoofed advert that won would show now
        var after = lab.Metrics();
        long socketDrops = RawSocketDrops() - socketDropsBefore;

        foreach (var reason in reasons)
        {
            output.WriteLine($"{reason}: {after.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{reason}\"") - before.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{reason}\"")}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sent} packets sent in {sending.TotalSeconds:0.00} s, counted by the agent within {processed.TotalSeconds:0.00} s; kernel socket drops {socketDrops}, veth drops {VethDrops()}; agent CPU {cpu.TotalMilliseconds:0} ms ({cpu.TotalMilliseconds * 1000 / sent:0.0} ms per 1,000 packets, emulated)"));
        Assert.Equal(sent, Counted(after) + socketDrops + VethDrops());
        Assert.All(reasons, r => Assert.True(after.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{r}\"") > before.Sum("reconciler_vrrp_adverts_dropped_total", $"reason=\"{r}\""), r + " counted"));
        Assert.Equal(before.Sum("reconciler_vrrp_adverts_received_total"), after.Sum("reconciler_vrrp_adverts_received_total"));
        Assert.Equal(before.Sum("reconciler_vrrp_transitions_total"), after.Sum("reconciler_vrrp_transitions_total"));
        Assert.Equal(1, after.Sum("reconciler_vrrp_state", "state=\"MASTER\""));
        Assert.Equal(100, after.Sum("reconciler_vrrp_effective_priority"));
        Assert.Equal(before.Sum("reconciler_operations_applied_total"), after.Sum("reconciler_operations_applied_total"));
        Assert.True(lab.HasVip(), "the VIP stays");
        Assert.Equal(AgentLab.AppliedTable, lab.ServiceTable());
    }

    [Fact]
    public async Task EndpointBurst_EveryRequestAnswered_AgentKeepsReconciling_PostsCoalesced_LoopbackOnly()
    {
        const int Requests = 1200;
        const int Posts = 100;
        const int PostBurst = 5; // the agent's POST /reconcile bucket: 5 at once, then one every 5 s; beyond, 429
        int throttled = 0;
        string listening = Lab.Run("ip", "netns", "exec", lab.Node, "ss", "-Hltn").Check("ss");
        var listeners = listening.Split('\n').Where(l => l.Contains(":" + AgentLab.EndpointPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList();
        var fromSegment = Lab.Run("ip", "netns", "exec", lab.Segment, "curl", "-s", "--max-time", "10", $"http://10.0.0.1:{AgentLab.EndpointPort}/healthz");

        var before = lab.Metrics();
        string[] paths = ["/healthz", "/status", "/metrics"];
        var latencies = new List<double>();
        int failures = 0;
        var clock = Stopwatch.StartNew();
        var burst = Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 48, CancellationToken = TestContext.Current.CancellationToken }, async (i, cancel) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await lab.Http.GetAsync(paths[i % paths.Length], cancel).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
            lock (latencies)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                failures += response.IsSuccessStatusCode ? 0 : 1;
            }
        });
        var posts = Parallel.ForAsync(0, Posts, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken }, async (_, cancel) =>
        {
            using var response = await lab.Http.PostAsync("/reconcile", null, cancel).ConfigureAwait(false);
            lock (latencies)
            {
                throttled += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
                failures += response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.TooManyRequests ? 0 : 1;
            }
        });

        // Mid-burst drift: the agent must still notice and repair it.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        lab.Ipvsadm("-d", "-t", AgentLab.Vip + ":80", "-r", "10.0.0.3:80");
        await Task.WhenAll(burst, posts);
        var burstTime = clock.Elapsed;
        var repaired = AgentLab.WaitUntil(() => lab.ServiceTable() == AgentLab.AppliedTable, "drift made during the burst repaired", RepairTimeout);
        var after = lab.Metrics();

        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        double polls = after.Sum("reconciler_git_polls_total") - before.Sum("reconciler_git_polls_total");
        output.WriteLine(string.Join('\n', listeners));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Requests} GETs (48 at a time) and {Posts} POST /reconcile in {burstTime.TotalSeconds:0.0} s ({Requests / burstTime.TotalSeconds:0} requests/s, emulated): p50 {Percentile(0.5):0} ms, p99 {Percentile(0.99):0} ms, max {latencies[^1]:0} ms; {polls} git polls for {Posts} POSTs ({throttled} answered 429); drift repaired {repaired.TotalSeconds:0.0} s after the burst"));
        Assert.Equal(0, failures);
        Assert.Equal(Requests, latencies.Count);
        Assert.InRange(polls, 1, Posts - 1); // polled, but the POSTs coalesced
        // The bucket let the burst through, then about one POST per 5 s of the burst; the rest were refused with 429.
        Assert.InRange(Posts - throttled, PostBurst, PostBurst + 1 + (int)(burstTime.TotalSeconds / 5));
        Assert.True(after.Sum("reconciler_drift_repaired_total") > before.Sum("reconciler_drift_repaired_total"), "the drift repair is counted");
        Assert.NotEmpty(listeners);
        Assert.All(listeners, l => Assert.Contains("127.0.0.1:" + AgentLab.EndpointPort.ToString(CultureInfo.InvariantCulture), l, StringComparison.Ordinal));
        Assert.NotEqual(0, fromSegment.ExitCode); // loopback only: nothing listens on 10.0.0.1
    }

    /// <summary>Drops the kernel counted on the agent's raw VRRP socket (receive buffer full), from /proc/net/raw of its namespace.</summary>
    private long RawSocketDrops()
    {
        string table = Lab.Run("ip", "netns", "exec", lab.Node, "cat", "/proc/net/raw").Check("/proc/net/raw");
        return table.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].EndsWith(":0070", StringComparison.Ordinal)) // local port field holds the protocol: 112
            .Sum(f => long.Parse(f[^1], CultureInfo.InvariantCulture));
    }

    /// <summary>Packets the veth pair dropped on the way: the segment's transmit drops plus the director's receive drops.</summary>
    private long VethDrops() => DeviceCounter(lab.Segment, 11) + DeviceCounter(lab.Node, 3);

    /// <summary>Field <paramref name="field"/> of eth0 in /proc/net/dev of <paramref name="space"/> (3: receive drops, 11: transmit drops).</summary>
    private static long DeviceCounter(string space, int field)
    {
        string stats = Lab.Run("ip", "netns", "exec", space, "cat", "/proc/net/dev").Check("/proc/net/dev");
        var eth0 = stats.Split('\n').Single(l => l.TrimStart().StartsWith("eth0:", StringComparison.Ordinal));
        var fields = eth0[(eth0.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[field], CultureInfo.InvariantCulture);
    }
}
