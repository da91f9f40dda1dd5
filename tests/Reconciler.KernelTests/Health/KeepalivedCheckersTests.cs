using System.Globalization;
using System.Text.Json;
using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Health;

/// <summary>
/// keepalived's UDP_CHECK, PING_CHECK, DNS_CHECK and SMTP_CHECK as the published agent runs them (<see cref="AgentLab"/>,
/// lb1 MASTER of VI_1), each against a real server on the segment (10.0.0.9): <c>socat</c> echoing UDP, the kernel
/// answering ICMP echo, <c>dnsmasq</c> answering A example.test, and <c>aiosmtpd</c> (Python's SMTP server). Each server
/// is taken away (the process stopped; ICMP echo ignored by the segment's kernel) and every real server must go DOWN and
/// leave the IPVS table; each one brought back must come UP and return; the SMTP service's notify_down / quorum_down
/// and notify_up / quorum_up commands run on the way. The test waits for the agent's /status, the kernel's table and
/// the commands' files, never for a time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeepalivedCheckersTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private const string Checks = """
          - name: udp-echo
            address: 10.0.0.100
            port: 5000
            protocol: udp
            forwarding: nat
            vrrpInstance: VI_1
            healthCheck: {type: udp, interval: 1s, connectTimeout: 2s, retries: 0, udp: {payload: "72 65 63 6f 6e", requireReply: true, replyPattern: "72 65 xx 6f"}}
            realServers:
              - {address: 10.0.0.9, port: 5000}
          - name: ping
            address: 10.0.0.100
            port: 81
            forwarding: nat
            vrrpInstance: VI_1
            healthCheck: {type: ping, interval: 1s, connectTimeout: 2s, retries: 0}
            realServers:
              - {address: 10.0.0.9, port: 81}
          - name: dns
            address: 10.0.0.100
            port: 53
            protocol: udp
            forwarding: nat
            vrrpInstance: VI_1
            healthCheck: {type: dns, interval: 1s, connectTimeout: 2s, retries: 0, dns: {type: A, name: example.test}}
            realServers:
              - {address: 10.0.0.9, port: 53}
          - name: smtp
            address: 10.0.0.100
            port: 25
            forwarding: nat
            vrrpInstance: VI_1
            healthCheck: {type: smtp, interval: 1s, connectTimeout: 2s, retries: 0, smtp: {heloName: lb1.example.test}}
            notify: {quorumUp: "/usr/bin/touch NOTIFIED/smtp-quorum-up", quorumDown: "/usr/bin/touch NOTIFIED/smtp-quorum-down"}
            realServers:
              - {address: 10.0.0.9, port: 25, notify: {up: "/usr/bin/touch NOTIFIED/smtp-up", down: "/usr/bin/touch NOTIFIED/smtp-down"}}

        """;

    private static readonly string[] Services = ["udp-echo", "ping", "dns", "smtp"];

    [Fact]
    public void EachChecker_TakesItsRealServerOutWhenTheServerGoes_AndBackWhenItReturns()
    {
        // The notify commands run as the agent's script user: they write into a folder anyone may write to.
        var notified = Directory.CreateTempSubdirectory("checkers-notify-");
        File.SetUnixFileMode(notified.FullName, (UnixFileMode)0b111_111_111);
        using var lab = new AgentLab(AgentLab.Topology + Checks.Replace("NOTIFIED", notified.FullName, StringComparison.Ordinal), [], l => l.HasVip(), "the agent holds the VIP");
        using var servers = new SegmentServers(lab.Segment);
        servers.StartAll();

        var up = WaitForHealth(lab, "UP", inKernel: true, "every checked real server UP and in the table");
        output.WriteLine("up: " + Describe(up));

        var taken = DateTimeOffset.UtcNow;
        servers.StopAll();
        var down = WaitForHealth(lab, "DOWN", inKernel: false, "every checked real server DOWN and out of the table");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"down after {(DateTimeOffset.UtcNow - taken).TotalSeconds:0.0} s: {Describe(down)}"));
        Assert.DoesNotContain("-r 10.0.0.9:", lab.Ipvsadm("-Sn"), StringComparison.Ordinal);
        // keepalived's notify_down and quorum_down (its only real server down: the quorum of 1 is lost).
        AgentLab.WaitUntil(() => File.Exists(Path.Combine(notified.FullName, "smtp-down")) && File.Exists(Path.Combine(notified.FullName, "smtp-quorum-down")),
            "smtp's notify_down and quorum_down ran", Bound);

        var returned = DateTimeOffset.UtcNow;
        servers.StartAll();
        var back = WaitForHealth(lab, "UP", inKernel: true, "every checked real server UP and back in the table");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"up again after {(DateTimeOffset.UtcNow - returned).TotalSeconds:0.0} s: {Describe(back)}"));
        Assert.Equal(4, lab.Ipvsadm("-Sn").Split('\n').Count(l => l.Contains("-r 10.0.0.9:", StringComparison.Ordinal)));
        AgentLab.WaitUntil(() => File.Exists(Path.Combine(notified.FullName, "smtp-up")) && File.Exists(Path.Combine(notified.FullName, "smtp-quorum-up")),
            "smtp's notify_up and quorum_up ran", Bound);
        notified.Delete(recursive: true);
    }

    private static JsonElement WaitForHealth(AgentLab lab, string health, bool inKernel, string what)
    {
        JsonElement status = default;
        AgentLab.WaitUntil(() =>
        {
            status = JsonDocument.Parse(lab.Http.GetStringAsync("/status").GetAwaiter().GetResult()).RootElement;
            return Services.All(name => RealServer(status, name) is { } server
                && server.GetProperty("health").GetString() == health
                && (server.GetProperty("kernelWeight").ValueKind == JsonValueKind.Number) == inKernel);
        }, what + "; last /status: " + (status.ValueKind == JsonValueKind.Undefined ? "none" : Describe(status)), Bound);
        return status;
    }

    private static JsonElement? RealServer(JsonElement status, string service) =>
        status.GetProperty("services").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == service) is { ValueKind: JsonValueKind.Object } found
            ? found.GetProperty("realServers")[0]
            : null;

    private static string Describe(JsonElement status) => string.Join("; ", Services.Select(name => RealServer(status, name) is { } server
        ? $"{name} {server.GetProperty("health").GetString()} kernel {server.GetProperty("kernelWeight").GetRawText()} ({(server.TryGetProperty("detail", out var detail) ? detail.GetString() : "")})"
        : $"{name} not in /status"));

    /// <summary>The real servers on the segment (10.0.0.9): UDP echo, DNS and SMTP processes, and ICMP echo answered by
    /// the segment's kernel unless <c>icmp_echo_ignore_all</c>.</summary>
    private sealed class SegmentServers(string segment) : IDisposable
    {
        private readonly List<LabProcess> _processes = [];

        public void StartAll()
        {
            SetIcmpEcho(answer: true);
            _processes.Add(LabProcess.Start(segment, "socat", "-T", "2", "UDP4-RECVFROM:5000,bind=10.0.0.9,fork", "PIPE"));
            _processes.Add(LabProcess.Start(segment, "dnsmasq", "-d", "-k", "-p", "53", "--listen-address=10.0.0.9", "--bind-interfaces",
                "--no-resolv", "--no-hosts", "--address=/example.test/192.0.2.7", "-C", "/dev/null", "--pid-file=", "--user=root"));
            _processes.Add(LabProcess.Start(segment, "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "10.0.0.9:25"));
        }

        public void StopAll()
        {
            SetIcmpEcho(answer: false);
            foreach (var process in _processes)
            {
                process.KillTree(); // socat forks a child per peer
                process.Dispose();
            }

            _processes.Clear();
        }

        public void Dispose() => StopAll();

        private void SetIcmpEcho(bool answer) =>
            Lab.Run("ip", "netns", "exec", segment, "sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=" + (answer ? "0" : "1")).Check("icmp_echo_ignore_all");
    }
}
