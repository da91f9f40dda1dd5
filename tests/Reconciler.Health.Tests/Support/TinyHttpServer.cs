using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Reconciler.Health.Tests.Support;

/// <summary>A tiny HTTP/1.1 responder on loopback: answers every request with <see cref="Status"/> and
/// <see cref="Body"/> (a path in <see cref="ByPath"/> with its own), or, with <see cref="Hang"/>, accepts and never
/// answers. With a certificate it speaks TLS.</summary>
internal sealed class TinyHttpServer(X509Certificate2? certificate = null) : LoopbackTcpServer
{
    public volatile int Status = 200;
    public volatile bool Hang;
    public byte[] Body { get; set; } = "ok\n"u8.ToArray();

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Answers of their own for some request paths (as in the request line).</summary>
    public ConcurrentDictionary<string, (int Status, byte[] Body)> ByPath { get; } = new(StringComparer.Ordinal);

    public static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    protected override async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (certificate is not null)
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
            stream = tls;
        }

        await using (stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Enqueue(head.ToString());
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var path = head.ToString().Split(' ', 3) is [_, var target, _] ? target : "";
            var (status, body) = ByPath.TryGetValue(path, out var own) ? own : (Status, Body);
            var response = string.Create(CultureInfo.InvariantCulture,
                $"HTTP/1.1 {status} Test\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken);
            await stream.WriteAsync(body, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }
}
