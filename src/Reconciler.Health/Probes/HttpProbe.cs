using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's HTTP_GET / SSL_GET: a GET of <c>path</c> on the real server's address that passes when the status
/// is one of the expected codes and, with a digest, when the MD5 of the body matches it. The connect timeout
/// bounds the whole exchange (connect, headers and body). The body is read only for a digest, and never past
/// <see cref="MaxBodyBytes"/>.
/// </summary>
public sealed class HttpProbe : IHealthProbe, ISelfTimedProbe
{
    /// <summary>A body longer than this fails a digest check rather than being read on.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private readonly HttpProbeClient _client;
    private readonly Uri _uri;
    private readonly IReadOnlyList<int> _expectedStatus;
    private readonly string? _digest;
    private readonly string? _host;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly string _what;
    private readonly string _expectedText;

    internal HttpProbe(HttpProbeClient client, bool https, IPEndPoint endPoint, Topology.Model.HttpCheck check, TimeSpan timeout,
        IPAddress? bindAddress, TimeProvider time)
    {
        _client = client;
        var scheme = https ? "https" : "http";
        var path = check.Path.StartsWith('/') ? check.Path : "/" + check.Path;
        _uri = new Uri($"{scheme}://{Topology.Model.VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port)}{path}");
        _expectedStatus = check.ExpectedStatus.Count > 0 ? check.ExpectedStatus : [200];
        _digest = string.IsNullOrEmpty(check.BodyDigest) ? null : check.BodyDigest.ToLowerInvariant();
        _host = check.Host;
        _bindAddress = bindAddress;
        _time = time;
        Timeout = timeout;
        _what = $"{scheme} GET {_uri}";
        _expectedText = string.Join(", ", _expectedStatus);
    }

    public TimeSpan Timeout { get; }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.ConnectionClose = true;
        request.Headers.TryAddWithoutValidation("User-Agent", "Reconciler-HealthCheck");
        if (_host is not null)
        {
            request.Headers.Host = _host;
        }

        if (_bindAddress is not null)
        {
            request.Options.Set(HttpProbeClient.BindAddressKey, _bindAddress);
        }

        try
        {
            using var response = await _client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (!_expectedStatus.Contains(status))
            {
                return ProbeResult.Fail($"{_what} status {status} (expected {_expectedText})");
            }

            if (_digest is null)
            {
                return ProbeResult.Pass($"{_what} status {status}");
            }

            var (digest, tooLong) = await DigestAsync(response.Content, timeout.Token);
            if (tooLong)
            {
                return ProbeResult.Fail($"{_what} body longer than {MaxBodyBytes} bytes");
            }

            return digest == _digest
                ? ProbeResult.Pass($"{_what} status {status} digest {digest}")
                : ProbeResult.Fail($"{_what} digest {digest} (expected {_digest})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{_what} timed out after {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail($"{_what} {Describe(e)}");
        }
        catch (IOException e)
        {
            return ProbeResult.Fail($"{_what} body read failed: {ProbeText.FirstLine(e.Message)}");
        }
    }

    private static async Task<(string Digest, bool TooLong)> DigestAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // MD5 because keepalived's `digest` is MD5: an integrity check of a known page, not security.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using var body = await content.ReadAsStreamAsync(cancellationToken);
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > MaxBodyBytes)
                {
                    return (string.Empty, true);
                }

                md5.AppendData(buffer, 0, read);
            }

            return (Convert.ToHexStringLower(md5.GetHashAndReset()), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return "connect " + SocketErrors.Describe(socket);
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => "tls error: " + ProbeText.FirstLine(e.InnerException?.Message ?? e.Message),
            HttpRequestError.ResponseEnded => "connection closed before a response",
            HttpRequestError.InvalidResponse => "invalid response: " + ProbeText.FirstLine(e.Message),
            HttpRequestError.ConfigurationLimitExceeded => "response headers too large",
            _ => ProbeText.FirstLine(e.Message),
        };
    }
}
