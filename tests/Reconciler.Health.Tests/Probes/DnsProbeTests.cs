using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Tests.Shared.Servers;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Against a real dnsmasq on loopback (authoritative for example.test, REFUSED for anything else), and a
/// UDP responder for the answers dnsmasq will not give on demand. Real time, no timing assertions.</summary>
public sealed class DnsProbeTests
{
    private static ValueTask<ProbeResult> Query(IPEndPoint server, string type, string name, double timeoutSeconds = 5) =>
        new DnsProbe(server, new DnsCheck(type, name), TimeSpan.FromSeconds(timeoutSeconds), null, TimeProvider.System)
            .ProbeAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Probe_Dnsmasq_AnswersItsName_Healthy()
    {
        using var dnsmasq = ExternalServer.Dnsmasq();

        var result = await Query(dnsmasq.EndPoint, "A", "example.test");

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"dns A example.test at 127.0.0.1:{dnsmasq.Port} NOERROR, 1 answers", result.Detail);
    }

    [Fact]
    public async Task Probe_Dnsmasq_RefusesOtherNames_FailsWithTheRcode()
    {
        using var dnsmasq = ExternalServer.Dnsmasq();

        var result = await Query(dnsmasq.EndPoint, "mx", "other.test");

        Assert.False(result.Healthy);
        Assert.Equal($"dns MX other.test at 127.0.0.1:{dnsmasq.Port} REFUSED (rcode 5)", result.Detail);
    }

    [Fact]
    public async Task Probe_ClosedPort_FailsOnTheIcmpPortUnreachable()
    {
        var port = LoopbackUdpServer.ClosedPort();

        var result = await Query(new IPEndPoint(IPAddress.Loopback, port), "SOA", ".");

        Assert.False(result.Healthy);
        Assert.Equal($"dns SOA . at 127.0.0.1:{port} port unreachable", result.Detail);
    }

    [Fact]
    public async Task Probe_SendsKeepalivedsQuery_AndSkipsAnswersToOtherIds()
    {
        // First an answer with another id (skipped), then the real one.
        using var server = new LoopbackUdpServer(query => [Answer(query, idDelta: 1, rcode: 0), Answer(query, idDelta: 0, rcode: 0)]);

        var result = await Query(server.EndPoint, "AAAA", "www.example.test.");

        Assert.True(result.Healthy, result.Detail);
        var query = Assert.Single(server.Received).Data;
        Assert.Equal(Convert.FromHexString("0100" + "0001" + "000000000000"), query[2..12]); // RD, one question
        Assert.Equal(Convert.FromHexString("03777777076578616D706C6504746573740000" + "1C" + "0001"), query[12..]);
    }

    [Fact]
    public async Task Probe_OnlyAnswersToOtherIds_NoAnswer()
    {
        using var server = new LoopbackUdpServer(query => [Answer(query, idDelta: 1, rcode: 0)]);

        var result = await Query(server.EndPoint, "A", "example.test", timeoutSeconds: 0.3);

        Assert.False(result.Healthy);
        Assert.Equal($"dns A example.test at 127.0.0.1:{server.Port} no answer within 300ms", result.Detail);
    }

    [Fact]
    public async Task Probe_QueryEchoedBack_NotAResponse_NoAnswer()
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Query(server.EndPoint, "A", "example.test", timeoutSeconds: 0.3);

        Assert.False(result.Healthy);
        Assert.Equal($"dns A example.test at 127.0.0.1:{server.Port} no answer within 300ms", result.Detail);
    }

    [Fact]
    public async Task Probe_ServfailFromTheRightId_Fails()
    {
        using var server = new LoopbackUdpServer(query => [Answer(query, idDelta: 0, rcode: 2)]);

        var result = await Query(server.EndPoint, "TXT", "example.test");

        Assert.False(result.Healthy);
        Assert.Equal($"dns TXT example.test at 127.0.0.1:{server.Port} SERVFAIL (rcode 2)", result.Detail);
    }

    [Theory]
    [InlineData("PTR", "example.test", "unknown query type 'PTR'")]
    [InlineData("A", "a..test", "name 'a..test' has an empty label")]
    public async Task Probe_BadQuery_FailsWithoutSending(string type, string name, string error)
    {
        using var server = new LoopbackUdpServer(LoopbackUdpServer.Echo);

        var result = await Query(server.EndPoint, type, name);

        Assert.False(result.Healthy);
        Assert.Equal($"dns {type} {name} at 127.0.0.1:{server.Port} not probed: {error}", result.Detail);
        Assert.Empty(server.Received);
    }

    /// <summary>The query turned into a response (QR set) with <paramref name="rcode"/> and its id plus <paramref name="idDelta"/>.</summary>
    private static byte[] Answer(byte[] query, int idDelta, int rcode)
    {
        var answer = (byte[])query.Clone();
        var id = (ushort)(((query[0] << 8) | query[1]) + idDelta);
        answer[0] = (byte)(id >> 8);
        answer[1] = (byte)id;
        answer[2] |= 0x80;
        answer[3] = (byte)(0x80 | rcode);
        return answer;
    }
}
