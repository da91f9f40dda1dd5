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

    /// <summary>The checker blocks of a real_server and the kind each imports as (BFD_CHECK has none).</summary>
    internal static readonly IReadOnlyDictionary<string, HealthCheckKind> CheckerKinds = new Dictionary<string, HealthCheckKind>(StringComparer.Ordinal)
    {
        ["TCP_CHECK"] = HealthCheckKind.Tcp,
        ["HTTP_GET"] = HealthCheckKind.Http,
        ["SSL_GET"] = HealthCheckKind.Https,
        ["MISC_CHECK"] = HealthCheckKind.Exec,
        ["UDP_CHECK"] = HealthCheckKind.Udp,
        ["PING_CHECK"] = HealthCheckKind.Ping,
        ["DNS_CHECK"] = HealthCheckKind.Dns,
        ["SMTP_CHECK"] = HealthCheckKind.Smtp,
        ["FILE_CHECK"] = HealthCheckKind.File,
    };

    /// <summary>keepalived's generic connection options: a checker that sets one has a connection of its own (which
    /// decides whether an SMTP_CHECK's first <c>host</c> block is its target).</summary>
    private static readonly HashSet<string> ConnectionKeywords = new(StringComparer.Ordinal)
    {
        "connect_ip", "connect_port", "bindto", "bind_if", "bind_port", "fwmark", "connect_timeout",
    };

    /// <summary>
    /// One checker block. Settings cascade as keepalived does: the checker's own, else the real server's, else the
    /// virtual server's, else keepalived's defaults (delay_loop 60 s, connect_timeout 5 s, retry 1 (MISC_CHECK 0,
    /// DNS_CHECK 3), delay_before_retry 3 s for HTTP_GET/SSL_GET, delay_loop for DNS_CHECK and 1 s otherwise, warmup
    /// up to delay_loop).
    /// </summary>
    private HealthCheck ReadChecker(ConfigStatement statement, HealthCheckKind kind, string rsLabel, CheckDefaults defaults, int realServerPort)
    {
        if (kind == HealthCheckKind.File)
        {
            return ReadFileChecker(statement, rsLabel);
        }

        var context = $"{rsLabel} {statement.Name}";
        var settings = new CheckerSettings();
        var block = Block(statement);
        var ownConnection = block.Any(s => ConnectionKeywords.Contains(s.Name));
        var hosts = 0;
        foreach (var s in block)
        {
            if (kind == HealthCheckKind.Smtp && s.Name == "host")
            {
                ReadSmtpHost(s, context, settings, target: !ownConnection && hosts++ == 0, ownConnection);
            }
            else if (!ReadCheckerOption(s, kind, context, settings))
            {
                Unsupported(s, context);
            }
        }

        var interval = settings.DelayLoop ?? defaults.DelayLoop ?? DefaultDelayLoop;
        var isHttp = kind is HealthCheckKind.Http or HealthCheckKind.Https;
        var isExec = kind == HealthCheckKind.Exec;
        HttpCheck? http = null;
        if (isHttp)
        {
            http = ReadUrls(settings.Urls, context, settings.VirtualHost ?? defaults.VirtualHost, verifyTls: kind != HealthCheckKind.Https);
            if (settings.Urls.Count == 0)
            {
                Error("missing-value", $"{context} has no 'url' (keepalived ignores such a checker)", statement.Location);
            }
        }

        ExecCheck? exec = null;
        if (isExec)
        {
            if (settings.Command.Count == 0)
            {
                Error("missing-value", $"{context} has no 'misc_path'", statement.Location);
            }

            exec = new ExecCheck(settings.Command, settings.MiscTimeout ?? interval, settings.Dynamic);
        }

        return new HealthCheck(
            kind,
            Interval: interval,
            ConnectTimeout: isExec ? DefaultConnectTimeout : settings.ConnectTimeout ?? defaults.ConnectTimeout ?? DefaultConnectTimeout,
            Retries: settings.Retry ?? defaults.Retry ?? kind switch { HealthCheckKind.Exec => 0, HealthCheckKind.Dns => 3, _ => 1 },
            DelayBeforeRetry: settings.DelayBeforeRetry ?? defaults.DelayBeforeRetry ?? kind switch
            {
                HealthCheckKind.Http or HealthCheckKind.Https => TimeSpan.FromSeconds(3),
                HealthCheckKind.Dns => interval,
                _ => TimeSpan.FromSeconds(1),
            },
            Rise: 1,
            Fall: 1,
            Warmup: settings.Warmup ?? defaults.Warmup ?? interval,
            Port: settings.Port == realServerPort ? null : settings.Port,
            BindAddress: settings.Bind,
            Http: http,
            Exec: exec,
            SlowStart: null)
        {
            Udp = kind == HealthCheckKind.Udp ? UdpSettings(settings, context) : null,
            Dns = kind == HealthCheckKind.Dns ? DnsSettings(settings) : null,
            Smtp = kind == HealthCheckKind.Smtp && settings.HeloName is { } helo ? new SmtpCheck(helo) : null,
            Alpha = settings.Alpha ?? defaults.Alpha ?? false,
        };
    }

    /// <summary>One keyword of a checker block: the generic options, then the kind's own; false when it is neither.</summary>
    private bool ReadCheckerOption(ConfigStatement s, HealthCheckKind kind, string context, CheckerSettings settings) =>
        ReadTimingOption(s, settings) || ReadConnectionOption(s, kind, context, settings) || kind switch
        {
            HealthCheckKind.Http or HealthCheckKind.Https => ReadHttpOption(s, context, settings),
            HealthCheckKind.Exec => ReadExecOption(s, settings),
            HealthCheckKind.Udp => ReadUdpOption(s, context, settings),
            HealthCheckKind.Dns => ReadDnsOption(s, context, settings),
            HealthCheckKind.Smtp => ReadSmtpOption(s, settings),
            _ => false,
        };

    /// <summary>When and how often a checker runs: every kind has these.</summary>
    private bool ReadTimingOption(ConfigStatement s, CheckerSettings settings)
    {
        switch (s.Name)
        {
            case "delay_loop":
                settings.DelayLoop = Seconds(s, 0.000001m, 86400) ?? settings.DelayLoop;
                return true;
            case "retry":
            case "nb_get_retry":
                settings.Retry = Int(s, 0, int.MaxValue) ?? settings.Retry;
                return true;
            case "delay_before_retry":
                settings.DelayBeforeRetry = Seconds(s, 0, 86400) ?? settings.DelayBeforeRetry;
                return true;
            case "warmup":
                settings.Warmup = Seconds(s, 0, 86400) ?? settings.Warmup;
                return true;
            case "alpha":
                settings.Alpha = Flag(s);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Where a checker connects to and from: every kind but MISC_CHECK (keepalived takes these for PING_CHECK
    /// too, where a port means nothing).</summary>
    private bool ReadConnectionOption(ConfigStatement s, HealthCheckKind kind, string context, CheckerSettings settings)
    {
        if (kind == HealthCheckKind.Exec)
        {
            return false;
        }

        switch (s.Name)
        {
            case "connect_timeout":
                settings.ConnectTimeout = Seconds(s, 0.000001m, 86400) ?? settings.ConnectTimeout;
                return true;
            case "connect_port" when kind == HealthCheckKind.Ping:
                Unsupported(s, context, "a ping has no port");
                return true;
            case "connect_port":
                if (Word(s) is { } portToken)
                {
                    settings.Port = ParseInt(portToken, s.Name, 1, 65535) ?? settings.Port;
                }

                return true;
            case "bindto":
                if (Word(s) is { } bindToken)
                {
                    settings.Bind = Address(bindToken, s.Name) ?? settings.Bind;
                }

                return true;
            default:
                return false;
        }
    }

    private bool ReadHttpOption(ConfigStatement s, string context, CheckerSettings settings)
    {
        switch (s.Name)
        {
            case "virtualhost":
                settings.VirtualHost = Word(s)?.Text ?? settings.VirtualHost;
                return true;
            case "url":
                settings.Urls.Add(s);
                return true;
            default:
                return false;
        }
    }

    private bool ReadExecOption(ConfigStatement s, CheckerSettings settings)
    {
        switch (s.Name)
        {
            case "misc_path":
                settings.Command = Command(s);
                return true;
            case "misc_timeout":
                settings.MiscTimeout = Seconds(s, 1, 86400) ?? settings.MiscTimeout;
                return true;
            case "misc_dynamic":
                settings.Dynamic = Flag(s);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Every url block, in order: the first is the check's own path, status, digest and host, the others its
    /// <see cref="HttpCheck.MoreUrls"/>; each takes the checker's (else the virtual server's) virtualhost unless it
    /// names its own. No url: keepalived's defaults, with the error reported by the caller.</summary>
    private HttpCheck ReadUrls(List<ConfigStatement> urls, string context, string? host, bool verifyTls)
    {
        var read = urls.Count == 0 ? [ReadUrl(null, context, host)] : urls.Select(url => ReadUrl(url, context, host)).ToList();
        var first = read[0];
        return new HttpCheck(first.Path, first.ExpectedStatus, first.BodyDigest, first.Host, verifyTls) { MoreUrls = read.Skip(1).ToValueList() };
    }

    private HttpUrl ReadUrl(ConfigStatement? url, string context, string? host)
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

        return new HttpUrl(path ?? "/", status.Count == 0 ? DefaultHttpStatus : status.ToValueList(), digest, host);
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
