using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Health.Tests.Support;

/// <summary>A real UDP socket on 127.0.0.1 (ephemeral port) that answers each datagram with what
/// <see cref="Respond"/> makes of it (none, one or several datagrams; the default: none, silence).</summary>
internal sealed class LoopbackUdpServer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();

    public LoopbackUdpServer(Func<byte[], IEnumerable<byte[]>>? respond = null)
    {
        Respond = respond ?? (_ => []);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _ = ServeAsync();
    }

    public Func<byte[], IEnumerable<byte[]>> Respond { get; set; }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The datagrams received and where from, in order.</summary>
    public ConcurrentQueue<(byte[] Data, IPEndPoint From)> Received { get; } = new();

    /// <summary>A datagram's echo.</summary>
    public static IEnumerable<byte[]> Echo(byte[] datagram) => [datagram];

    /// <summary>A UDP port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue; // an ICMP error for an earlier reply: not the server's concern
            }

            var datagram = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            var from = (IPEndPoint)result.RemoteEndPoint;
            Received.Enqueue((datagram, from));
            foreach (var reply in Respond(datagram))
            {
                await _socket.SendToAsync(reply, SocketFlags.None, from);
            }
        }
    }
}
