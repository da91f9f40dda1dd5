using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Real UDP sockets on loopback, real time (no timing assertions). A closed port answers with a real ICMP
/// port unreachable.</summary>
public sealed class UdpProbeTests
{
    private static readonly UdpCheck RequireReply = UdpCheck.Default with { RequireReply = true };

    private static UdpProbe Probe(int port, UdpCheck? check = null, double timeoutSeconds = 5, IPAddress? bind = null) =>
        new(new IPEndPoint(IPAddress.Loopback, port), check ?? UdpCheck.Default, TimeSpan.FromSeconds(timeoutSeconds), bind, TimeProvider.System);

    private static ValueTask<ProbeResult> Run(UdpProbe probe) => probe.ProbeAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Probe_EchoServerReplyRequired_HealthyAndSentKeepalivedsPayload()
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Run(Probe(server.Port, RequireReply));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"udp 127.0.0.1:{server.Port} reply of 32 bytes", result.Detail);
        var (data, _) = Assert.Single(server.Received);
        Assert.Equal("keepalived check - keepalived ch"u8.ToArray(), data);
    }

    [Fact]
    public async Task Probe_SilentServer_HealthyWithoutReplyRequired_FailedWithIt()
    {
        using var server = new LoopbackUdpServer();

        var silent = await Run(Probe(server.Port, timeoutSeconds: 0.3));
        var required = await Run(Probe(server.Port, RequireReply, timeoutSeconds: 0.3));

        Assert.True(silent.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} no ICMP error within 300ms", silent.Detail);
        Assert.False(required.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} no reply within 300ms", required.Detail);
        await Wait.UntilAsync(() => server.Received.Count == 2, "both datagrams at the server");
    }

    [Fact]
    public async Task Probe_ClosedPort_FailsOnTheIcmpPortUnreachable()
    {
        var port = LoopbackUdpServer.ClosedPort();

        var plain = await Run(Probe(port));
        var required = await Run(Probe(port, RequireReply));

        Assert.False(plain.Healthy);
        Assert.Equal($"udp 127.0.0.1:{port} port unreachable", plain.Detail);
        Assert.False(required.Healthy);
        Assert.Equal($"udp 127.0.0.1:{port} port unreachable", required.Detail);
    }

    [Fact]
    public async Task Probe_Payload_SendsItsOctets()
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Run(Probe(server.Port, RequireReply with { Payload = "Ab12f 3 456" }));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal(Convert.FromHexString("AB120F034506"), Assert.Single(server.Received).Data);
    }

    [Theory]
    [InlineData("de ad be ef", "DEADBEEF", true, "reply of 4 bytes")]
    [InlineData("de ad", "DEADBEEF", true, "reply of 4 bytes")] // over the shorter: the pattern's 2 octets
    [InlineData("de ad be ef 00 11", "DEADBEEF", true, "reply of 4 bytes")] // over the shorter: the reply's 4
    [InlineData("de xx bx ef", "DE01B9EF", true, "reply of 4 bytes")]
    [InlineData("de ad be ef", "DEADBEE0", false, "reply does not match the pattern at byte 3")]
    [InlineData("de xx bx ef", "DE01C9EF", false, "reply does not match the pattern at byte 2")]
    public async Task Probe_ReplyPattern_MatchedAsKeepalivedDoes(string pattern, string reply, bool healthy, string detail)
    {
        using var server = new LoopbackUdpServer(_ => [Convert.FromHexString(reply)]);

        var result = await Run(Probe(server.Port, RequireReply with { ReplyPattern = pattern }));

        Assert.Equal(healthy, result.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} {detail}", result.Detail);
    }

    [Theory]
    [InlineData(3, 8, 2, false, "reply of 2 bytes, shorter than 3")]
    [InlineData(3, 8, 3, true, "reply of 3 bytes")]
    [InlineData(3, 8, 8, true, "reply of 8 bytes")]
    [InlineData(3, 8, 9, false, "reply longer than 8 bytes")]
    [InlineData(0, 255, 0, true, "reply of 0 bytes")]
    public async Task Probe_ReplyLength_WithinMinAndMax(int min, int max, int length, bool healthy, string detail)
    {
        using var server = new LoopbackUdpServer(_ => [new byte[length]]);

        var result = await Run(Probe(server.Port, RequireReply with { MinReplyLength = min, MaxReplyLength = max }));

        Assert.Equal(healthy, result.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} {detail}", result.Detail);
    }

    [Fact]
    public async Task Probe_AnyReplyWithoutReplyRequired_Healthy()
    {
        using var server = new LoopbackUdpServer(_ => [new byte[1000]]);

        var result = await Run(Probe(server.Port, UdpCheck.Default with { MaxReplyLength = 4 }));

        Assert.True(result.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} replied", result.Detail);
    }

    [Theory]
    [InlineData("12 zz", null, "payload 'z' at position 4 is not a hex digit")]
    [InlineData(null, "1q", "reply pattern 'q' at position 2 is neither a hex digit nor x")]
    public async Task Probe_InvalidHex_FailsWithoutSending(string? payload, string? pattern, string error)
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Run(Probe(server.Port, RequireReply with { Payload = payload, ReplyPattern = pattern }));

        Assert.False(result.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} not probed: {error}", result.Detail);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Probe_BindAddress_SendsFromIt()
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Run(Probe(server.Port, RequireReply, bind: IPAddress.Parse("127.0.0.2")));

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), Assert.Single(server.Received).From.Address);
    }

    [Fact]
    public async Task Probe_Cancelled_FailsSayingSo()
    {
        using var server = new LoopbackUdpServer();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var probe = Probe(server.Port, timeoutSeconds: 30);

        var pending = probe.ProbeAsync(cancel.Token);
        await Wait.UntilAsync(() => !server.Received.IsEmpty, "the datagram");
        await cancel.CancelAsync();
        var result = await pending;

        Assert.False(result.Healthy);
        Assert.Equal($"udp 127.0.0.1:{server.Port} cancelled", result.Detail);
    }
}
