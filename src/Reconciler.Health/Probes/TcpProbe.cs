using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's TCP_CHECK: healthy when a TCP connection to the server opens within the connect timeout.
/// The connection is then reset rather than closed (as HAProxy does), so that thousands of checks leave no
/// TIME_WAIT sockets behind on the director.
/// </summary>
public sealed class TcpProbe : IHealthProbe, ISelfTimedProbe
{
    private readonly IPEndPoint _endPoint;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly string _what;

    public TcpProbe(IPEndPoint endPoint, TimeSpan connectTimeout, IPAddress? bindAddress, TimeProvider time)
    {
        _endPoint = endPoint;
        _bindAddress = bindAddress;
        _time = time;
        Timeout = connectTimeout;
        _what = "tcp connect " + VirtualServiceEndpoint(endPoint);
    }

    public TimeSpan Timeout { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_bindAddress is not null)
            {
                socket.Bind(new IPEndPoint(_bindAddress, 0));
            }

            await socket.ConnectAsync(_endPoint, timeout.Token);
            socket.LingerState = new LingerOption(true, 0);
            return ProbeResult.Pass(_what + " ok");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{_what} timed out after {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"{_what} {SocketErrors.Describe(e)}");
        }
    }

    private static string VirtualServiceEndpoint(IPEndPoint endPoint) =>
        Topology.Model.VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port);
}

/// <summary>Short words for the socket errors a health check meets.</summary>
internal static class SocketErrors
{
    public static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "refused",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.ConnectionReset => "reset",
        SocketError.AddressNotAvailable => "bind address not available",
        SocketError.AccessDenied => "permission denied",
        _ => ProbeText.FirstLine(e.Message).ToLowerInvariant(),
    };
}
