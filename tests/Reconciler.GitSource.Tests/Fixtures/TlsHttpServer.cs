using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Reconciler.GitSource.Tests.Fixtures;

/// <summary>
/// A minimal HTTPS responder on a loopback address and a free port: TLS with <see cref="TestCertificate"/>, one
/// HTTP/1.1 request a connection, answered by <c>respond</c> (status line and headers). Every request's line and
/// headers are kept in <see cref="Requests"/>, so a test can say what a client sent where.
/// </summary>
public sealed class TlsHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RecordedRequest, string> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TlsHttpServer(IPAddress address, Func<RecordedRequest, string> respond)
    {
        _respond = respond;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(TestCertificate.Server, false, false);
                var head = await ReadHeadAsync(tls);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var headers = lines.Skip(1)
                    .Select(l => l.Split(':', 2))
                    .Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var request = new RecordedRequest(lines[0], headers);
                Requests.Enqueue(request);
                var response = _respond(request);
                await tls.WriteAsync(Encoding.ASCII.GetBytes(response + "Content-Length: 0\r\nConnection: close\r\n\r\n"));
                await tls.FlushAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The client went away or refused the certificate: nothing to answer.
            }
        }
    }

    /// <summary>The request line and headers, up to the blank line (a git client sends no body with a GET).</summary>
    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[16384];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                return null;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }

        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>What a client sent: the request line and the headers.</summary>
public sealed record RecordedRequest(string Line, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A self-signed server certificate for <c>localhost</c>, <c>127.0.0.1</c> and <c>127.0.0.2</c>, made once per test
/// process, and its PEM file for the client to trust (<see cref="PemFile"/>).
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<(X509Certificate2 Certificate, string Pem)> Made = new(Make);

    public static X509Certificate2 Server => Made.Value.Certificate;

    public static string PemFile => Made.Value.Pem;

    private static (X509Certificate2, string) Make()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Parse("127.0.0.1"));
        names.AddIpAddress(IPAddress.Parse("127.0.0.2"));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var pem = Path.Combine(Path.GetTempPath(), $"reconciler-test-ca-{Environment.ProcessId}.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n");
        return (certificate, pem);
    }
}
