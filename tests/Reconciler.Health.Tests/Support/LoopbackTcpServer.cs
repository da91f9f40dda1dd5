using System.Net;
using System.Net.Sockets;

namespace Reconciler.Health.Tests.Support;

/// <summary>A real TCP listener on 127.0.0.1 (ephemeral port) that accepts and closes; it can go down (refusing)
/// and come back on the same port.</summary>
internal class LoopbackTcpServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private int _accepted;

    public LoopbackTcpServer()
    {
        Listen(0);
    }

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public int Accepted => Volatile.Read(ref _accepted);

    public bool IsUp
    {
        get
        {
            lock (_lock)
            {
                return _listener is not null;
            }
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stop?.Cancel();
            _listener?.Stop();
            _listener = null;
        }
    }

    public void Restart()
    {
        lock (_lock)
        {
            if (_listener is null)
            {
                Listen(Port);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Serves one accepted connection; the default closes it at once.</summary>
    protected virtual Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.Dispose();
        return Task.CompletedTask;
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(512);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(listener, _stop.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = ServeGuardedAsync(socket, cancellationToken);
        }
    }

    private async Task ServeGuardedAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await ServeAsync(socket, cancellationToken);
        }
        catch (Exception)
        {
            // A test server: a client that went away is not a failure.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
