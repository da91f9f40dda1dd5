using System.Net;
using System.Net.Sockets;
using System.Text;
using Reconciler.Scripts.Mail;
using Reconciler.Tests.Shared.Servers;

namespace Reconciler.Linux.Tests.Scripts.Mail;

/// <summary>Against a real SMTP server (aiosmtpd keeping what it accepts in a Maildir), a closed port, and a listener
/// that answers what a refusing relay answers. Real time, no timing assertions.</summary>
public sealed class SmtpMailerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 4, 11, 14, TimeSpan.FromHours(1));
    private readonly string _maildir = Path.Combine(Path.GetTempPath(), "reconciler-mail-" + Guid.NewGuid().ToString("N"));

    private static MailSettings Relay(int port, params string[] to) =>
        new("127.0.0.1", port, "lb1@example.test", to, "lb1.example.test", TimeSpan.FromSeconds(10), "lb1", Vrrp: true, Checkers: true);

    [Fact]
    public async Task Send_Aiosmtpd_DeliversKeepalivedsHeadersAndBodyToEveryRecipient()
    {
        using var server = ExternalServer.AiosmtpdMailbox(_maildir);
        var alert = KeepalivedMail.Instance("lb1", "VI_1", "MASTER")!;

        await SmtpMailer.SendAsync(Relay(server.Port, "ops@example.test", "oncall@example.test"), alert, Now, TestContext.Current.CancellationToken);

        var message = Assert.Single(Directory.GetFiles(Path.Combine(_maildir, "new")));
        var text = await File.ReadAllTextAsync(message, TestContext.Current.CancellationToken);
        Assert.Contains("Subject: [lb1] VRRP Instance VI_1 - Entering MASTER state\n", text, StringComparison.Ordinal);
        Assert.Contains("From: lb1@example.test\n", text, StringComparison.Ordinal);
        Assert.Contains("To: ops@example.test, oncall@example.test\n", text, StringComparison.Ordinal);
        Assert.Contains("Date: Tue, 08 Dec 2026 04:11:14 +0100\n", text, StringComparison.Ordinal);
        Assert.Contains("X-Mailer: Reconciler\n", text, StringComparison.Ordinal);
        Assert.Contains("X-RcptTo: ops@example.test, oncall@example.test", text, StringComparison.Ordinal); // aiosmtpd's record of the envelope
        Assert.EndsWith("\n\n=> VRRP Instance is now owning VRRP VIPs <=\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ClosedPort_FailsSayingWhereItConnected()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var error = await Assert.ThrowsAsync<MailException>(() =>
            SmtpMailer.SendAsync(Relay(port, "ops@example.test"), new MailAlert("s", "b"), Now, TestContext.Current.CancellationToken));

        Assert.StartsWith($"connecting to 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_RecipientRefused_FailsQuotingTheReplyAndSendsNoData()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var lines = new List<string>();
        var relay = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 relay.example.test ESMTP");
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lines.Add(line);
                await writer.WriteLineAsync((line.StartsWith("RCPT", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 ok").AsMemory(), TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<MailException>(() =>
            SmtpMailer.SendAsync(Relay(port, "nobody@example.test"), new MailAlert("s", "b"), Now, TestContext.Current.CancellationToken));

        Assert.Equal($"RCPT: 127.0.0.1:{port} replied '550 5.1.1 no such user' (expected 250 or 251)", error.Message);
        listener.Stop();
        await relay.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(["HELO lb1.example.test", "MAIL FROM:<lb1@example.test>", "RCPT TO:<nobody@example.test>"], lines);
    }

    [Fact]
    public void Message_DoublesLeadingDotsAndEndsWithTheDot()
    {
        var text = SmtpMailer.Message(Relay(25, "a@b.c"), new MailAlert("two\r\nlines", ".hidden\nshown"), Now);

        Assert.Contains("Subject: two lines\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n..hidden\r\nshown\r\n.\r\n", text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_maildir))
        {
            Directory.Delete(_maildir, recursive: true);
        }
    }
}
