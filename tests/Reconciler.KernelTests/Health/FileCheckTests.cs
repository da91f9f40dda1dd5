using System.Globalization;
using System.Text.Json;
using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Health;

/// <summary>
/// keepalived's track_file and FILE_CHECK as the published agent runs them (<see cref="AgentLab"/>: lb1 alone in VI_1
/// at priority 100): real server 10.0.0.3 (weight 10) has a <c>type: file</c> check on a file with weight 2 and an
/// <c>init</c> of 3, and VI_1 tracks another file with weight 10. The test writes numbers into the files as an operator
/// would, and waits for each effect: the IPVS weight of 10.0.0.3 (10 + value × 2), the server out of the table at the
/// bottom value and back, the instance's effective priority (100 + value × 10) and FAULT at -254 and back. Nothing
/// polls the files: inotify wakes the agent. Every wait is for the event, bounded, never a fixed time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private static string Topology(string directory) => """
        nodes:
          - {name: lb1, addresses: [10.0.0.1], interfaces: [eth0]}
        checks:
          - {name: web-weight, file: {path: DIR/web-weight, init: {value: 3}}}
          - {name: prio, weight: 10, file: {path: DIR/prio}}
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100}
            authentication: {password: "1111"}
            virtualAddresses: [10.0.0.100/24]
            trackChecks: [{check: prio}]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: dr
            vrrpInstance: VI_1
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 10, healthCheck: {type: file, interval: 1h, file: {check: web-weight, weight: 2}}}
              - {address: 10.0.0.4, port: 80, weight: 5}

        """.Replace("DIR", directory, StringComparison.Ordinal);

    [Fact]
    public void WrittenNumbers_MoveTheRealServersWeightAndTheInstancesPriority_BottomValuesTakeThemDown()
    {
        var directory = Directory.CreateTempSubdirectory("file-check-");
        var weightFile = Path.Combine(directory.FullName, "web-weight");
        var prioFile = Path.Combine(directory.FullName, "prio");
        using var lab = new AgentLab(Topology(directory.FullName), [], l => l.HasVip() && Weight(l) == 16,
            "the agent wrote init 3 and holds the VIP with 10.0.0.3 at weight 10 + 3 x 2");
        Assert.Equal("3\n", File.ReadAllText(weightFile));

        Step(lab, () => Write(weightFile, "5"), l => Weight(l) == 20, "10.0.0.3 at weight 10 + 5 x 2");
        Step(lab, () => Write(weightFile, "-2147483647"), l => Weight(l) is null && l.ServiceTable().Contains("10.0.0.4:80", StringComparison.Ordinal),
            "10.0.0.3 out of the table at the bottom value");
        Step(lab, () => Write(weightFile, "1"), l => Weight(l) == 12, "10.0.0.3 back at weight 10 + 1 x 2");

        Step(lab, () => Write(prioFile, "3"), l => Vrrp(l) is ("MASTER", 130), "VI_1 at priority 100 + 3 x 10");
        Step(lab, () => Write(prioFile, "-254"), l => Vrrp(l).State == "FAULT" && !l.HasVip(), "VI_1 in FAULT at -254, the VIP released");
        Step(lab, () => Write(prioFile, "0"), l => Vrrp(l) is ("MASTER", 100) && l.HasVip(), "VI_1 MASTER again at priority 100");
        directory.Delete(recursive: true);
    }

    private void Step(AgentLab lab, Action write, Func<AgentLab, bool> reached, string what)
    {
        write();
        var took = AgentLab.WaitUntil(() => reached(lab), what, Bound);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {took.TotalSeconds:0.0} s"));
    }

    /// <summary>As <c>echo VALUE &gt; FILE</c>: truncated, written, closed.</summary>
    private static void Write(string path, string value) => File.WriteAllText(path, value + "\n");

    /// <summary>10.0.0.3's weight in the kernel's table, null when it is not there.</summary>
    private static int? Weight(AgentLab lab) =>
        lab.ServiceTable().Split('\n').FirstOrDefault(l => l.Contains("-r 10.0.0.3:80", StringComparison.Ordinal)) is { } line
            ? int.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)
            : null;

    /// <summary>VI_1's state and effective priority from the agent's /status (none while it does not answer).</summary>
    private static (string? State, int Priority) Vrrp(AgentLab lab)
    {
        try
        {
            using var status = JsonDocument.Parse(lab.Http.GetStringAsync("/status").GetAwaiter().GetResult());
            var instance = status.RootElement.GetProperty("vrrp").EnumerateArray().Single(v => v.GetProperty("instance").GetString() == "VI_1");
            return (instance.GetProperty("state").GetString(), instance.GetProperty("effectivePriority").GetInt32());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, 0);
        }
    }
}
