using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    private RealServer? ReadRealServer(ConfigStatement statement, string vsLabel, CheckDefaults vsDefaults, Forwarding vsForwarding, TunnelSettings? vsTunnel, bool vsInhibit)
    {
        var args = statement.Arguments;
        if (args.Count == 0)
        {
            Error("missing-value", "'real_server' needs IP [PORT]", statement.Location);
            return null;
        }

        if (Address(args[0], "real_server") is not { } address)
        {
            return null;
        }

        var port = args.Count > 1 ? Port(args[1], "real_server port") : 0;
        ExtraArguments(statement, 2);
        if (port is null)
        {
            return null;
        }

        var label = $"{vsLabel} real_server {args[0].Text} {(args.Count > 1 ? args[1].Text : "0")}";
        var weight = 1;
        uint upper = 0, lower = 0;
        Forwarding? forwarding = null;
        TimeSpan? delayLoop = null, connectTimeout = null, delayBeforeRetry = null, warmup = null;
        int? retry = null;
        string? virtualHost = null;
        string? notifyUp = null, notifyDown = null;
        bool? alpha = null;
        var checkers = new List<ConfigStatement>();
        foreach (var s in statement.HasBlock ? statement.Block! : [])
        {
            switch (s.Name)
            {
                case "weight":
                    weight = Int(s, 0, 65535) ?? weight;
                    break;
                case "uthreshold":
                    upper = UInt(s) ?? upper;
                    break;
                case "lthreshold":
                    lower = UInt(s) ?? lower;
                    break;
                case "lvs_method":
                    if (ReadForwarding(s, label) is { } method)
                    {
                        forwarding = method.Forwarding;
                        if (method.Tunnel is not null && method.Tunnel != vsTunnel)
                        {
                            Warning("unsupported-keyword", $"{label}: per-real-server tunnel options are not supported; the service's are used", s.Location);
                        }
                    }

                    break;
                case "inhibit_on_failure":
                    if (Flag(s) != vsInhibit)
                    {
                        Warning("unsupported-keyword", $"{label}: inhibit_on_failure is set per virtual server in the topology; the virtual server's setting is used", s.Location);
                    }

                    break;
                case "delay_loop":
                    delayLoop = Seconds(s, 0.000001m, 86400) ?? delayLoop;
                    break;
                case "connect_timeout":
                    connectTimeout = Seconds(s, 0.000001m, 86400) ?? connectTimeout;
                    break;
                case "retry":
                    retry = Int(s, 1, int.MaxValue) ?? retry;
                    break;
                case "delay_before_retry":
                    delayBeforeRetry = Seconds(s, 0, 86400) ?? delayBeforeRetry;
                    break;
                case "warmup":
                    warmup = Seconds(s, 0, 86400) ?? warmup;
                    break;
                case "alpha":
                    alpha = Flag(s);
                    break;
                case "virtualhost":
                    virtualHost = Word(s)?.Text ?? virtualHost;
                    break;
                case "notify_up":
                    notifyUp = NotifyCommand(s, label) ?? notifyUp;
                    break;
                case "notify_down":
                    notifyDown = NotifyCommand(s, label) ?? notifyDown;
                    break;
                case "smtp_alert":
                    Unsupported(s, label, "mail is per service: set smtp_alert on the virtual_server (the topology's service notify.mail)");
                    break;
                case var name when CheckerKinds.ContainsKey(name):
                    checkers.Add(s);
                    break;
                default:
                    Unsupported(s, label);
                    break;
            }
        }

        var defaults = new CheckDefaults(
            delayLoop ?? vsDefaults.DelayLoop,
            connectTimeout ?? vsDefaults.ConnectTimeout,
            retry ?? vsDefaults.Retry,
            delayBeforeRetry ?? vsDefaults.DelayBeforeRetry,
            warmup ?? vsDefaults.Warmup,
            virtualHost ?? vsDefaults.VirtualHost)
        {
            Alpha = alpha ?? vsDefaults.Alpha,
        };

        HealthCheck? check = null;
        foreach (var checker in checkers)
        {
            var read = ReadChecker(checker, CheckerKinds[checker.Name], label, defaults, port.Value);
            if (check is null)
            {
                check = read;
            }
            else
            {
                Warning(
                    "second-checker",
                    $"{label}: the topology has one check per real server; this {checker.Name} is dropped (keepalived would need every checker to pass)",
                    checker.Location);
            }
        }

        if (forwarding == vsForwarding)
        {
            forwarding = null;
        }

        return new RealServer(address, port.Value, weight, upper, lower, forwarding, check)
        {
            Notify = notifyUp is null && notifyDown is null ? null : new RealServerNotify(notifyUp, notifyDown),
        };
    }
}
