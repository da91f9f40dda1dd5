using System.Net;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    internal static readonly TimeSpan DefaultDelayLoop = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>keepalived's default for a url with no status_code: any 2xx.</summary>
    internal static readonly ValueList<int> DefaultHttpStatus = Enumerable.Range(200, 100).ToValueList();

    /// <summary>
    /// One checker block. Settings cascade as keepalived does: the checker's own, else the real server's, else the
    /// virtual server's, else keepalived's defaults (delay_loop 60 s, connect_timeout 5 s, retry 1 (MISC_CHECK 0),
    /// delay_before_retry 3 s for HTTP_GET/SSL_GET and 1 s otherwise, warmup up to delay_loop).
    /// </summary>
    private HealthCheck ReadChecker(ConfigStatement statement, string rsLabel, CheckDefaults defaults, int realServerPort)
    {
        var kind = statement.Name switch
        {
            "HTTP_GET" => HealthCheckKind.Http,
            "SSL_GET" => HealthCheckKind.Https,
            "MISC_CHECK" => HealthCheckKind.Exec,
            _ => HealthCheckKind.Tcp,
        };
        var context = $"{rsLabel} {statement.Name}";
        var isHttp = kind is HealthCheckKind.Http or HealthCheckKind.Https;
        var isExec = kind == HealthCheckKind.Exec;

        TimeSpan? delayLoop = null, connectTimeout = null, delayBeforeRetry = null, warmup = null, miscTimeout = null;
        int? retry = null, port = null;
        IPAddress? bind = null;
        string? virtualHost = null;
        ValueList<string> command = [];
        var dynamic = false;
        ConfigStatement? url = null;

        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "delay_loop":
                    delayLoop = Seconds(s, 0.000001m, 86400) ?? delayLoop;
                    break;
                case "retry":
                case "nb_get_retry":
                    retry = Int(s, 0, int.MaxValue) ?? retry;
                    break;
                case "delay_before_retry":
                    delayBeforeRetry = Seconds(s, 0, 86400) ?? delayBeforeRetry;
                    break;
                case "warmup":
                    warmup = Seconds(s, 0, 86400) ?? warmup;
                    break;
                case "connect_timeout" when !isExec:
                    connectTimeout = Seconds(s, 0.000001m, 86400) ?? connectTimeout;
                    break;
                case "connect_port" when !isExec:
                    if (Word(s) is { } portToken)
                    {
                        port = ParseInt(portToken, s.Name, 1, 65535) ?? port;
                    }

                    break;
                case "bindto" when !isExec:
                    if (Word(s) is { } bindToken)
                    {
                        bind = Address(bindToken, s.Name) ?? bind;
                    }

                    break;
                case "virtualhost" when isHttp:
                    virtualHost = Word(s)?.Text ?? virtualHost;
                    break;
                case "url" when isHttp:
                    if (url is null)
                    {
                        url = s;
                    }
                    else
                    {
                        Warning("second-url", $"{context}: the topology checks one url; this one is dropped (keepalived needs every url to pass)", s.Location);
                    }

                    break;
                case "misc_path" when isExec:
                    command = Command(s);
                    break;
                case "misc_timeout" when isExec:
                    miscTimeout = Seconds(s, 1, 86400) ?? miscTimeout;
                    break;
                case "misc_dynamic" when isExec:
                    dynamic = Flag(s);
                    break;
                default:
                    Unsupported(s, context);
                    break;
            }
        }

        var interval = delayLoop ?? defaults.DelayLoop ?? DefaultDelayLoop;
        HttpCheck? http = null;
        if (isHttp)
        {
            http = ReadUrl(url, context, virtualHost ?? defaults.VirtualHost, verifyTls: kind != HealthCheckKind.Https);
            if (url is null)
            {
                Error("missing-value", $"{context} has no 'url' (keepalived ignores such a checker)", statement.Location);
            }
        }

        ExecCheck? exec = null;
        if (isExec)
        {
            if (command.Count == 0)
            {
                Error("missing-value", $"{context} has no 'misc_path'", statement.Location);
            }

            exec = new ExecCheck(command, miscTimeout ?? interval, dynamic);
        }

        return new HealthCheck(
            kind,
            Interval: interval,
            ConnectTimeout: isExec ? DefaultConnectTimeout : connectTimeout ?? defaults.ConnectTimeout ?? DefaultConnectTimeout,
            Retries: retry ?? defaults.Retry ?? (isExec ? 0 : 1),
            DelayBeforeRetry: delayBeforeRetry ?? defaults.DelayBeforeRetry ?? TimeSpan.FromSeconds(isHttp ? 3 : 1),
            Rise: 1,
            Fall: 1,
            Warmup: warmup ?? defaults.Warmup ?? interval,
            Port: port == realServerPort ? null : port,
            BindAddress: bind,
            Http: http,
            Exec: exec,
            SlowStart: null);
    }

    private HttpCheck ReadUrl(ConfigStatement? url, string context, string? host, bool verifyTls)
    {
        string? path = null;
        string? digest = null;
        var status = new SortedSet<int>();
        if (url is not null)
        {
            foreach (var s in Block(url))
            {
                switch (s.Name)
                {
                    case "path":
                        path = Word(s)?.Text ?? path;
                        break;
                    case "digest":
                        if (Word(s) is { } d)
                        {
                            if (d.Text.Length == 32 && d.Text.All(char.IsAsciiHexDigit))
                            {
                                digest = d.Text.ToLowerInvariant();
                            }
                            else
                            {
                                Error("invalid-value", $"'digest' is 32 hex digits (an MD5), not '{d.Text}'", d.Location);
                            }
                        }

                        break;
                    case "status_code":
                        NoBlock(s);
                        if (s.Arguments.Count == 0)
                        {
                            Error("missing-value", "'status_code' needs a code or range (200-299)", s.Location);
                        }

                        foreach (var code in s.Arguments)
                        {
                            AddStatus(code, status);
                        }

                        break;
                    case "virtualhost":
                        host = Word(s)?.Text ?? host;
                        break;
                    default:
                        Unsupported(s, $"{context} url");
                        break;
                }
            }

            if (path is null)
            {
                Error("missing-value", $"{context}: the url has no 'path'", url.Location);
            }
        }

        return new HttpCheck(path ?? "/", status.Count == 0 ? DefaultHttpStatus : status.ToValueList(), digest, host, verifyTls);
    }

    private void AddStatus(Token code, SortedSet<int> status)
    {
        var text = code.Text;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var low = dash < 0 ? text : text[..dash];
        var high = dash < 0 ? text : text[(dash + 1)..];
        if (int.TryParse(low, out var min) && int.TryParse(high, out var max) && min >= 100 && max <= 599 && min <= max)
        {
            for (var c = min; c <= max; c++)
            {
                status.Add(c);
            }
        }
        else
        {
            Error("invalid-value", $"'{text}' is not an HTTP status code or range (100..599)", code.Location);
        }
    }
}
