using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's PING_CHECK (<c>check_ping.c</c>): one ICMP echo request (ICMPv6 for an IPv6 server), healthy when
/// its reply comes back within the connect timeout. The agent runs as root, so it uses a raw socket rather than
/// keepalived's ping socket (which needs <c>ping_group_range</c> widened); each probe opens its own and closes it.
/// The socket is connected to the server, so that the kernel hands it only the server's ICMP, and filtered to echo
/// replies (<c>ICMP_FILTER</c>, <c>ICMP6_FILTER</c>); a reply still counts only with the probe's random identifier
/// and its sequence number. A hard ICMP error about the request (destination unreachable from a router or firewall)
/// fails it at once, as keepalived's ping socket does; otherwise no reply fails it at the timeout. Like keepalived
/// it sends 128 bytes of <c>keepalived check - </c> after the header.
/// </summary>
public sealed class PingProbe : IHealthProbe, ISelfTimedProbe
{
    private const int PayloadLength = 128;
    private const int EchoLength = IcmpEcho.HeaderLength + PayloadLength;

    /// <summary>An IPv4 header (at most 60 bytes: raw IPv4 sockets receive it) and the echo.</summary>
    private const int ReceiveLength = 60 + EchoLength;

    // setsockopt(SOL_RAW, ICMP_FILTER) <linux/icmp.h>; setsockopt(IPPROTO_ICMPV6, ICMP6_FILTER) <netinet/icmp6.h>.
    private const int SolRaw = 255;
    private const int IcmpFilter = 1;
    private const int SolIcmpV6 = 58;
    private const int Icmp6Filter = 1;

    private static readonly byte[] Payload = MakePayload();
    private static readonly byte[] OnlyEchoReplyV4 = MakeFilter(IcmpEcho.EchoReplyV4, 1);
    private static readonly byte[] OnlyEchoReplyV6 = MakeFilter(IcmpEcho.EchoReplyV6, 8);
    private static int _sequence = Random.Shared.Next(ushort.MaxValue + 1);

    private readonly IPAddress _address;
    private readonly IPEndPoint _endPoint;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly bool _v6;

    public PingProbe(IPAddress address, TimeSpan timeout, IPAddress? bindAddress, TimeProvider time)
    {
        _address = address;
        _endPoint = new IPEndPoint(address, 0);
        _bindAddress = bindAddress;
        _time = time;
        _v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        Timeout = timeout;
        _what = "ping " + address;
    }

    public TimeSpan Timeout { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        Socket? socket = null;
        var request = ArrayPool<byte>.Shared.Rent(EchoLength);
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveLength);
        try
        {
            socket = _v6
                ? new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.IcmpV6)
                : new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
            if (_v6)
            {
                socket.SetRawSocketOption(SolIcmpV6, Icmp6Filter, OnlyEchoReplyV6);
            }
            else
            {
                socket.SetRawSocketOption(SolRaw, IcmpFilter, OnlyEchoReplyV4);
            }

            if (_bindAddress is not null)
            {
                socket.Bind(new IPEndPoint(_bindAddress, 0));
            }

            socket.Connect(_endPoint);
            var identifier = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var sequence = (ushort)Interlocked.Increment(ref _sequence);
            IcmpEcho.WriteRequest(request.AsSpan(0, EchoLength), _v6, identifier, sequence, Payload);
            await socket.SendAsync(request.AsMemory(0, EchoLength), SocketFlags.None, timeout.Token);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(0, ReceiveLength), SocketFlags.None, timeout.Token);
                if (IcmpEcho.IsReply(buffer.AsSpan(0, received), _v6, _address, identifier, sequence))
                {
                    return ProbeResult.Pass(_what + " replied");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{_what} no reply within {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (SocketException e)
        {
            // An ICMP error about the request (port or protocol unreachable, from a firewall say) reads as refused.
            return ProbeResult.Fail($"{_what} {(e.SocketErrorCode == SocketError.ConnectionRefused ? "destination unreachable" : SocketErrors.Describe(e))}");
        }
        finally
        {
            socket?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(request);
        }
    }

    private static byte[] MakePayload()
    {
        // keepalived's set_buf: its text repeated over the buffer.
        var text = "keepalived check - "u8;
        var payload = new byte[PayloadLength];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = text[i % text.Length];
        }

        return payload;
    }

    /// <summary>A filter that blocks every ICMP type but <paramref name="pass"/>: 32-bit words in host order, a set
    /// bit blocks its type (the kernel's <c>icmp_filter</c>, and <c>icmp6_filter</c>'s eight words).</summary>
    private static byte[] MakeFilter(byte pass, int words)
    {
        var filter = new uint[words];
        filter.AsSpan().Fill(uint.MaxValue);
        filter[pass >> 5] &= ~(1u << (pass & 31));
        return MemoryMarshal.AsBytes(filter.AsSpan()).ToArray();
    }
}
