using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Reconciler.Health.Probes;

/// <summary>
/// The HTTP machinery all HTTP(S) probes of one TLS mode share: one <see cref="SocketsHttpHandler"/> with no
/// redirects, no cookies, no proxy, no decompression, no trace headers, bounded response headers, and no
/// connection reuse (every probe opens its own connection and asks the server to close it, as keepalived does,
/// so a check never passes over a connection opened before the server broke). Optional source address per probe.
/// </summary>
internal sealed class HttpProbeClient : IDisposable
{
    public static readonly HttpRequestOptionsKey<IPAddress> BindAddressKey = new("Reconciler.Health.BindAddress");

    private readonly HttpMessageInvoker _invoker;

    public HttpProbeClient(bool verifyTls)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            MaxResponseHeadersLength = 64,
            PooledConnectionLifetime = TimeSpan.Zero,
            PooledConnectionIdleTimeout = TimeSpan.Zero,
            MaxResponseDrainSize = 0,
            ActivityHeadersPropagator = null,
            ConnectCallback = ConnectAsync,
        };
        if (!verifyTls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            };
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    public void Dispose() => _invoker.Dispose();

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var endPoint = IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, context.DnsEndPoint.Port)
            : throw new HttpRequestException(HttpRequestError.NameResolutionError, $"not an address: {host}");
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (context.InitialRequestMessage.Options.TryGetValue(BindAddressKey, out var bind))
            {
                socket.Bind(new IPEndPoint(bind, 0));
            }

            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
