using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's UDP_CHECK (<c>check_udp.c</c>): one datagram from a connected UDP socket, then a wait of up to the
/// connect timeout. Without <see cref="UdpCheck.RequireReply"/>, an ICMP error (port, host or network unreachable,
/// which the socket reports with <c>IP_RECVERR</c> on, as keepalived sets it) fails the check, and a reply or
/// silence until the timeout passes it. With it, a reply must come, its length within
/// [<see cref="UdpCheck.MinReplyLength"/>, <see cref="UdpCheck.MaxReplyLength"/>], matching
/// <see cref="UdpCheck.ReplyPattern"/> over the shorter of the two. Without a payload it sends keepalived's own
/// 32 bytes (<c>keepalived check - </c> repeated), so a server sees what keepalived would send it.
/// </summary>
public sealed class UdpProbe : IHealthProbe, ISelfTimedProbe
{
    /// <summary>What keepalived sends without a payload (<c>set_buf</c> over its 32-byte buffer in <c>layer4.c</c>).</summary>
    internal static ReadOnlySpan<byte> DefaultPayload => "keepalived check - keepalived ch"u8;

    private static readonly byte[] DefaultPayloadBytes = DefaultPayload.ToArray();

    // setsockopt(SOL_IP, IP_RECVERR) and setsockopt(SOL_IPV6, IPV6_RECVERR): <linux/in.h>, <linux/in6.h>.
    private const int SolIp = 0;
    private const int IpRecvErr = 11;
    private const int SolIpv6 = 41;
    private const int Ipv6RecvErr = 25;
    private static readonly byte[] On = BitConverter.GetBytes(1);

    private readonly IPEndPoint _endPoint;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly byte[] _payload;
    private readonly bool _requireReply;
    private readonly byte[]? _pattern;
    private readonly byte[]? _mask;
    private readonly int _minLength;
    private readonly int _maxLength;
    private readonly string? _configError;

    public UdpProbe(IPEndPoint endPoint, UdpCheck check, TimeSpan timeout, IPAddress? bindAddress, TimeProvider time)
    {
        _endPoint = endPoint;
        _bindAddress = bindAddress;
        _time = time;
        Timeout = timeout;
        _what = "udp " + VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port);
        _requireReply = check.RequireReply;
        _minLength = check.MinReplyLength;
        _maxLength = Math.Clamp(check.MaxReplyLength, 0, KeepalivedHex.MaxBytes);
        _payload = DefaultPayloadBytes;
        if (check.Payload is not null)
        {
            if (KeepalivedHex.TryParse(check.Payload, false, out var payload, out _, out var error))
            {
                _payload = payload;
            }
            else
            {
                _configError = "payload " + error;
            }
        }

        if (check.RequireReply && check.ReplyPattern is not null)
        {
            if (KeepalivedHex.TryParse(check.ReplyPattern, true, out var pattern, out var mask, out var error))
            {
                (_pattern, _mask) = (pattern, mask);
            }
            else
            {
                _configError ??= "reply pattern " + error;
            }
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
        // Without a reply to check, one byte tells a reply from an error; with one, a byte past the longest
        // acceptable reply tells a too long one (keepalived's buffer is max_reply_length + 1 too).
        var buffer = ArrayPool<byte>.Shared.Rent(_requireReply ? _maxLength + 1 : 1);
        try
        {
            if (_endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.SetRawSocketOption(SolIpv6, Ipv6RecvErr, On);
            }
            else
            {
                socket.SetRawSocketOption(SolIp, IpRecvErr, On);
            }

            if (_bindAddress is not null)
            {
                socket.Bind(new IPEndPoint(_bindAddress, 0));
            }

            socket.Connect(_endPoint);
            await socket.SendAsync(_payload, SocketFlags.None, timeout.Token);
            var received = await socket.ReceiveAsync(buffer.AsMemory(0, _requireReply ? _maxLength + 1 : 1), SocketFlags.None, timeout.Token);
            return _requireReply ? CheckReply(buffer.AsSpan(0, received)) : ProbeResult.Pass(_what + " replied");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _requireReply
                ? ProbeResult.Fail($"{_what} no reply within {ProbeText.Duration(Timeout)}")
                : ProbeResult.Pass($"{_what} no ICMP error within {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"{_what} {Describe(e)}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ProbeResult CheckReply(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < _minLength)
        {
            return ProbeResult.Fail($"{_what} reply of {reply.Length} bytes, shorter than {_minLength}");
        }

        if (reply.Length > _maxLength)
        {
            return ProbeResult.Fail($"{_what} reply longer than {_maxLength} bytes");
        }

        if (_pattern is not null && !KeepalivedHex.Matches(reply, _pattern, _mask, out var at))
        {
            return ProbeResult.Fail($"{_what} reply does not match the pattern at byte {at}");
        }

        return ProbeResult.Pass($"{_what} reply of {reply.Length} bytes");
    }

    /// <summary>The errors an ICMP error turns into on a connected UDP socket.</summary>
    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "port unreachable",
        _ => SocketErrors.Describe(e),
    };
}
