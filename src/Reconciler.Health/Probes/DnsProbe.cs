using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's DNS_CHECK (<c>check_dns.c</c>): one query over UDP from a connected socket, a random id, RD set,
/// and the answer read as keepalived reads it (<see cref="DnsMessage.Read"/>): datagrams too short, with another
/// id or not a response are skipped; the first response decides: RCODE 0 passes (with or without answers),
/// any other fails. The connect timeout bounds the whole exchange; an ICMP port unreachable fails it at once.
/// </summary>
public sealed class DnsProbe : IHealthProbe, ISelfTimedProbe
{
    /// <summary>Enough for any header; a longer answer is cut, which its header survives.</summary>
    private const int ReceiveBuffer = 512;

    private readonly IPEndPoint _endPoint;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly byte[] _question = [];
    private readonly string? _configError;

    public DnsProbe(IPEndPoint endPoint, DnsCheck check, TimeSpan timeout, IPAddress? bindAddress, TimeProvider time)
    {
        _endPoint = endPoint;
        _bindAddress = bindAddress;
        _time = time;
        Timeout = timeout;
        _what = $"dns {check.Type.ToUpperInvariant()} {check.Name} at {VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port)}";
        if (!DnsMessage.TryGetType(check.Type, out var type))
        {
            _configError = $"unknown query type '{check.Type}'";
        }
        else if (!DnsMessage.TryEncodeQuestion(check.Name, type, out _question, out var error))
        {
            _configError = error;
        }
    }

    public TimeSpan Timeout { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_configError is not null)
        {
            return ProbeResult.Fail($"{_what} not probed: {_configError}");
        }

        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var socket = new Socket(_endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var query = ArrayPool<byte>.Shared.Rent(DnsMessage.HeaderLength + _question.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBuffer);
        try
        {
            if (_bindAddress is not null)
            {
                socket.Bind(new IPEndPoint(_bindAddress, 0));
            }

            socket.Connect(_endPoint);
            var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var length = DnsMessage.WriteQuery(query, id, _question);
            await socket.SendAsync(query.AsMemory(0, length), SocketFlags.None, timeout.Token);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(0, ReceiveBuffer), SocketFlags.None, timeout.Token);
                var reply = DnsMessage.Read(buffer.AsSpan(0, received), id);
                if (reply.Ignored)
                {
                    continue;
                }

                var answers = reply.Answers.ToString(CultureInfo.InvariantCulture);
                return reply.Kind == DnsReplyKind.Answer
                    ? ProbeResult.Pass($"{_what} NOERROR, {answers} answers")
                    : ProbeResult.Fail($"{_what} {DnsMessage.RcodeName(reply.Rcode)} (rcode {reply.Rcode.ToString(CultureInfo.InvariantCulture)})");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{_what} no answer within {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"{_what} {(e.SocketErrorCode == SocketError.ConnectionRefused ? "port unreachable" : SocketErrors.Describe(e))}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(query);
        }
    }
}
