using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Tests.Shared.Servers;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Against a real SMTP server (aiosmtpd) on loopback, and a scripted responder for the failures a real server
/// will not produce on demand. Real time, no timing assertions.</summary>
public sealed class SmtpProbeTests
{
    private static SmtpProbe Probe(int port, string? helo = null, double timeoutSeconds = 5) =>
        new(new IPEndPoint(IPAddress.Loopback, port), helo, TimeSpan.FromSeconds(timeoutSeconds), null, TimeProvider.System);

    private static ValueTask<ProbeResult> Run(SmtpProbe probe) => probe.ProbeAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Probe_Aiosmtpd_Healthy()
    {
        using var server = ExternalServer.Aiosmtpd();

        var result = await Run(Probe(server.Port));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} greeting 220, HELO smtpchecker.keepalived.org 250", result.Detail);
    }

    [Fact]
    public async Task Probe_Conversation_HeloWithTheNameThenQuit()
    {
        await using var server = new ScriptedSmtpServer();

        var result = await Run(Probe(server.Port, helo: "lb1.example.test"));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal(["HELO lb1.example.test", "QUIT"], server.Lines);
    }

    [Fact]
    public async Task Probe_MultiLineReplies_ReadToTheirLastLine()
    {
        await using var server = new ScriptedSmtpServer
        {
            Greeting = "220-mail.example.test ESMTP\r\n220-no UCE\r\n220 welcome\r\n",
            HeloReply = "250-mail.example.test\r\n250 hello\r\n",
        };

        var result = await Run(Probe(server.Port));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal(["HELO smtpchecker.keepalived.org", "QUIT"], server.Lines);
    }

    [Fact]
    public async Task Probe_Greeting554_FailsQuotingIt()
    {
        await using var server = new ScriptedSmtpServer { Greeting = "554 5.3.2 no service here\r\n" };

        var result = await Run(Probe(server.Port));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} greeting 554 (expected 220): 554 5.3.2 no service here", result.Detail);
        Assert.Empty(server.Lines);
    }

    [Fact]
    public async Task Probe_HeloAnswered5xx_Fails()
    {
        await using var server = new ScriptedSmtpServer { HeloReply = "550 go away\r\n" };

        var result = await Run(Probe(server.Port));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} HELO smtpchecker.keepalived.org answered 550 (expected 250): 550 go away", result.Detail);
    }

    [Fact]
    public async Task Probe_NotSmtp_Fails()
    {
        await using var server = new ScriptedSmtpServer { Greeting = "SSH-2.0-OpenSSH_9.2\r\n" };

        var result = await Run(Probe(server.Port));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} greeting: not an SMTP reply: SSH-2.0-OpenSSH_9.2", result.Detail);
    }

    [Fact]
    public async Task Probe_ClosedAfterTheGreeting_Fails()
    {
        // A server that closes on HELO without answering (the scripted server stops at QUIT; an empty reply and a
        // closing server read the same: no reply).
        await using var server = new ClosingSmtpServer();

        var result = await Run(Probe(server.Port));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} HELO: connection closed before a reply", result.Detail);
    }

    [Fact]
    public async Task Probe_NoGreeting_TimesOutOnThatStep()
    {
        await using var server = new ScriptedSmtpServer { Greeting = null };
        var probe = Probe(server.Port, timeoutSeconds: 0.3);

        var result = await Run(probe);

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} greeting timed out after 300ms", result.Detail);
        Assert.Equal(TimeSpan.FromSeconds(1.2), probe.Timeout); // each of its four steps has the connect timeout
    }

    [Fact]
    public async Task Probe_HeloNameWithALineBreak_FailsWithoutConnecting()
    {
        await using var server = new ScriptedSmtpServer();

        var result = await Run(Probe(server.Port, helo: "a\r\nMAIL FROM:<x@y>"));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} not probed: the HELO name is not printable ASCII", result.Detail);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task Probe_NothingListening_ConnectRefused()
    {
        await using var server = new ScriptedSmtpServer();
        server.Stop();

        var result = await Run(Probe(server.Port));

        Assert.False(result.Healthy);
        Assert.Equal($"smtp 127.0.0.1:{server.Port} connect refused", result.Detail);
    }

    private sealed class ClosingSmtpServer : LoopbackTcpServer
    {
        protected override async Task ServeAsync(System.Net.Sockets.Socket socket, CancellationToken cancellationToken)
        {
            await socket.SendAsync("220 hi\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[256];
            await socket.ReceiveAsync(buffer, cancellationToken);
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        }
    }
}
