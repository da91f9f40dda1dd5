using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's HTTP_GET / SSL_GET: a GET of each url's <c>path</c> on the real server's address, in order, that passes
/// when the status is one of the url's expected codes and, with a digest, when the MD5 of the body matches it. The
/// first url that fails fails the attempt (keepalived's server is up only when every url passes); its detail names
/// that url. The connect timeout bounds each url's exchange (connect, headers and body), as it bounds each of
/// keepalived's requests. A body is read only for a digest, and never past <see cref="MaxBodyBytes"/>.
/// </summary>
/// <remarks>keepalived fetches one url per <c>delay_loop</c> and retries only the failing url; here one attempt
/// fetches them all and a retry starts again from the first. Either way a server goes down after the retries of a
/// failing url and comes back only when every url passes.</remarks>
public sealed class HttpProbe : IHealthProbe, ISelfTimedProbe
{
    /// <summary>A body longer than this fails a digest check rather than being read on.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private readonly HttpProbeClient _client;
    private readonly Url[] _urls;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;

    internal HttpProbe(HttpProbeClient client, bool https, IPEndPoint endPoint, Topology.Model.HttpCheck check, TimeSpan timeout,
        IPAddress? bindAddress, TimeProvider time)
    {
        _client = client;
        var scheme = https ? "https" : "http";
        var authority = Topology.Model.VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port);
        _urls = check.AllUrls().Select(url => new Url(scheme, authority, url)).ToArray();
        _bindAddress = bindAddress;
        _time = time;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var passed = new List<string>(_urls.Length);
        for (var i = 0; i < _urls.Length; i++)
        {
            var result = await ProbeUrlAsync(_urls[i], cancellationToken);
            if (!result.Healthy)
            {
                return _urls.Length == 1 ? result : ProbeResult.Fail($"{result.Detail} (url {i + 1} of {_urls.Length})");
            }

            passed.Add(result.Detail);
        }

        return ProbeResult.Pass(string.Join("; ", passed));
    }

    private async ValueTask<ProbeResult> ProbeUrlAsync(Url url, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url.Uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.ConnectionClose = true;
        request.Headers.TryAddWithoutValidation("User-Agent", "Reconciler-HealthCheck");
        if (url.Host is not null)
        {
            request.Headers.Host = url.Host;
        }

        if (_bindAddress is not null)
        {
            request.Options.Set(HttpProbeClient.BindAddressKey, _bindAddress);
        }

        var what = url.What;
        try
        {
            using var response = await _client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (!url.ExpectedStatus.Contains(status))
            {
                return ProbeResult.Fail($"{what} status {status} (expected {url.ExpectedText})");
            }

            if (url.Digest is null)
            {
                return ProbeResult.Pass($"{what} status {status}");
            }

            var (digest, tooLong) = await DigestAsync(response.Content, timeout.Token);
            if (tooLong)
            {
                return ProbeResult.Fail($"{what} body longer than {MaxBodyBytes} bytes");
            }

            return digest == url.Digest
                ? ProbeResult.Pass($"{what} status {status} digest {digest}")
                : ProbeResult.Fail($"{what} digest {digest} (expected {url.Digest})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{what} timed out after {ProbeText.Duration(Timeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(what + " cancelled");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail($"{what} {Describe(e)}");
        }
        catch (IOException e)
        {
            return ProbeResult.Fail($"{what} body read failed: {ProbeText.FirstLine(e.Message)}");
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

    /// <summary>One url as the probe fetches it: the request URI, what passes, and how a result names it.</summary>
    private sealed class Url
    {
        public Url(string scheme, string authority, Topology.Model.HttpUrl url)
        {
            var path = url.Path.StartsWith('/') ? url.Path : "/" + url.Path;
            Uri = new Uri($"{scheme}://{authority}{path}");
            ExpectedStatus = url.ExpectedStatus.Count > 0 ? url.ExpectedStatus : [200];
            Digest = string.IsNullOrEmpty(url.BodyDigest) ? null : url.BodyDigest.ToLowerInvariant();
            Host = url.Host;
            What = $"{scheme} GET {Uri}";
            ExpectedText = string.Join(", ", ExpectedStatus);
        }

        public Uri Uri { get; }

        public IReadOnlyList<int> ExpectedStatus { get; }

        public string? Digest { get; }

        public string? Host { get; }

        public string What { get; }

        public string ExpectedText { get; }
    }
}
