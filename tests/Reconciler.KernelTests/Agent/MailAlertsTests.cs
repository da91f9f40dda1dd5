using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// keepalived's <c>smtp_alert</c> as the published agent sends it: a real SMTP relay (aiosmtpd keeping what it accepts
/// in a Maildir) on the segment (10.0.0.9:2525) receives, with keepalived's subjects, the checker's mails when the
/// real server (a socat listener) comes up and goes down, the quorum's, and the VRRP instance's on becoming MASTER
/// (after the agent is killed and started again, as systemd would). The relay starts after the agent: mails the agent
/// could not deliver before are counted and logged, never retried, never blocking. The test waits for each message
/// file, never for a time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MailAlertsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private const string Service = """
          - name: app
            address: 10.0.0.100
            port: 8080
            forwarding: nat
            vrrpInstance: VI_1
            healthCheck: {type: tcp, interval: 1s, connectTimeout: 1s, retries: 0}
            realServers:
              - {address: 10.0.0.9, port: 8080}
        mail:
          server: 10.0.0.9:2525
          from: lb1@example.test
          to: [ops@example.test]
          vrrp: true
          checkers: true

        """;

    [Fact]
    public void RealServerQuorumAndVrrpChanges_AreMailedWithKeepalivedsSubjects()
    {
        // aiosmtpd's Maildir makes its tmp/new/cur only when it creates the folder itself.
        var maildir = Path.Combine(Path.GetTempPath(), "mail-alerts-" + Guid.NewGuid().ToString("N")[..8]);
        using var lab = new AgentLab(AgentLab.Topology + Service, [], l => l.HasVip(), "the agent holds the VIP");
        using var relay = LabProcess.Start(lab.Segment, "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "10.0.0.9:2525", "-c", "aiosmtpd.handlers.Mailbox", maildir);
        AgentLab.WaitUntil(() => Lab.Run("ip", "netns", "exec", lab.Segment, "/usr/bin/python3", "-c",
            "import socket; socket.create_connection(('10.0.0.9', 2525), 1)").ExitCode == 0, "the relay listens", Bound);

        using var diagnose = new AgentOutputOnFailure(lab, relay, output);
        using (LabProcess.Start(lab.Segment, "socat", "TCP4-LISTEN:8080,bind=10.0.0.9,fork,reuseaddr", "SYSTEM:true"))
        {
            WaitForMail(maildir, "[lb1] Realserver [10.0.0.9]:tcp:8080 of virtual server [10.0.0.100]:tcp:8080 - UP");
            WaitForMail(maildir, "[lb1] Virtualserver [10.0.0.100]:tcp:8080 - UP");
        }

        WaitForMail(maildir, "[lb1] Realserver [10.0.0.9]:tcp:8080 of virtual server [10.0.0.100]:tcp:8080 - DOWN");
        WaitForMail(maildir, "[lb1] Virtualserver [10.0.0.100]:tcp:8080 - DOWN");

        lab.KillAgent();
        lab.StartAgentAgain();
        var master = WaitForMail(maildir, "[lb1] VRRP Instance VI_1 - Entering MASTER state");
        Assert.Contains("=> VRRP Instance is now owning VRRP VIPs <=", master, StringComparison.Ordinal);
        Assert.Contains("To: ops@example.test", master, StringComparison.Ordinal);
        Assert.Contains("From: lb1@example.test", master, StringComparison.Ordinal);
        output.WriteLine($"{Directory.GetFiles(Path.Combine(maildir, "new")).Length} mails delivered");
        diagnose.Passed = true;
        relay.Dispose();
        Directory.Delete(maildir, recursive: true);
    }

    /// <summary>Writes the agent's and the relay's output when the test did not get to its end.</summary>
    private sealed class AgentOutputOnFailure(AgentLab lab, LabProcess relay, ITestOutputHelper output) : IDisposable
    {
        public bool Passed { get; set; }

        public void Dispose()
        {
            if (!Passed)
            {
                output.WriteLine("agent output:\n" + lab.Agent.Output);
                output.WriteLine("relay output:\n" + relay.Output);
            }
        }
    }

    /// <summary>The first delivered message with <paramref name="subject"/>, waiting for it.</summary>
    private static string WaitForMail(string maildir, string subject)
    {
        string? found = null;
        AgentLab.WaitUntil(() =>
        {
            var inbox = Path.Combine(maildir, "new");
            found = !Directory.Exists(inbox) ? null : Directory.GetFiles(inbox)
                .Select(File.ReadAllText)
                .FirstOrDefault(text => text.ReplaceLineEndings("\n").Contains($"\nSubject: {subject}\n", StringComparison.Ordinal));
            return found is not null;
        }, $"a mail '{subject}' in {maildir}; delivered: {string.Join(" | ", Subjects(maildir))}", Bound);
        return found!;
    }

    private static IEnumerable<string> Subjects(string maildir)
    {
        var inbox = Path.Combine(maildir, "new");
        return !Directory.Exists(inbox) ? [] : Directory.GetFiles(inbox)
            .SelectMany(File.ReadAllLines)
            .Where(line => line.StartsWith("Subject: ", StringComparison.Ordinal))
            .ToList();
    }
}
