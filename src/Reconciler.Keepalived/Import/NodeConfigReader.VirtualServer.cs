using System.Net;
using System.Net.Sockets;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    /// <summary>keepalived's IPVS_SVC_PERSISTENT_TIMEOUT: <c>persistence_timeout</c> without a value, or
    /// <c>persistence_granularity</c> without a timeout.</summary>
    internal static readonly TimeSpan DefaultPersistenceTimeout = TimeSpan.FromSeconds(360);

    private static readonly HashSet<string> Schedulers = new(StringComparer.Ordinal)
    {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "mh", "dh", "fo", "ovf", "sed", "nq", "twos",
    };

    /// <summary>Checker settings a virtual server and a real server pass down to their checkers.</summary>
    private sealed record CheckDefaults(TimeSpan? DelayLoop, TimeSpan? ConnectTimeout, int? Retry, TimeSpan? DelayBeforeRetry, TimeSpan? Warmup, string? VirtualHost)
    {
        /// <summary>keepalived's <c>alpha</c> at this level (the checker's own wins).</summary>
        public bool? Alpha { get; init; }
    }

    private void ReadVirtualServer(ConfigStatement statement)
    {
        var args = statement.Arguments;
        if (args.Count == 0)
        {
            Error("missing-value", "'virtual_server' needs IP PORT, 'fwmark N' or 'group NAME'", statement.Location);
            return;
        }

        IPAddress? address = null;
        int? port = null;
        uint? mark = null;
        if (args[0].Text == "group")
        {
            // Read once every virtual_server_group is known.
            _groupServers.Add(statement);
            return;
        }

        if (args[0].Text == "fwmark")
        {
            if (args.Count < 2)
            {
                Error("missing-value", "'virtual_server fwmark' needs a mark number", statement.Location);
                return;
            }

            if (!uint.TryParse(args[1].Text, out var parsedMark) || parsedMark == 0)
            {
                Error("invalid-value", $"'{args[1].Text}' is not a firewall mark (1..4294967295)", args[1].Location);
                return;
            }

            mark = parsedMark;
            ExtraArguments(statement, 2);
        }
        else
        {
            address = Address(args[0], "virtual_server");
            if (args.Count < 2)
            {
                Error("missing-value", "'virtual_server' needs a port after the address", statement.Location);
                return;
            }

            port = Port(args[1], "virtual_server port");
            ExtraArguments(statement, 2);
            if (address is null || port is null)
            {
                return;
            }
        }

        ReadVirtualServerBody(statement, address, port, mark, mark is { } m ? $"virtual_server fwmark {m}" : $"virtual_server {args[0].Text} {args[1].Text}");
    }

    /// <summary>A virtual server's block, for the service at <paramref name="address"/>:<paramref name="port"/> or
    /// of <paramref name="mark"/> (a group's virtual server reads it once per member).</summary>
    private void ReadVirtualServerBody(ConfigStatement statement, IPAddress? address, int? port, uint? mark, string label)
    {
        string? scheduler = null;
        var flags = new List<Token>();
        var forwarding = Forwarding.Nat;
        TunnelSettings? tunnel = null;
        TimeSpan? persistenceTimeout = null;
        int? persistencePrefix = null;
        Token? granularity = null;
        string? engine = null;
        var protocol = Protocol.Tcp;
        var onePacket = false;
        SorryServer? sorry = null;
        int? quorum = null, hysteresis = null;
        string? quorumUp = null, quorumDown = null;
        bool? alpha = null;
        var omega = false;
        bool? mail = null;
        var inhibit = false;
        AddressFamily? family = address?.AddressFamily;
        Token? familyToken = null;
        TimeSpan? delayLoop = null, connectTimeout = null, delayBeforeRetry = null, warmup = null;
        int? retry = null;
        string? virtualHost = null;
        var realServerStatements = new List<ConfigStatement>();

        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
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
                case "lb_algo":
                case "lvs_sched":
                    if (Word(s) is { } sched)
                    {
                        if (Schedulers.Contains(sched.Text))
                        {
                            scheduler = sched.Text;
                        }
                        else
                        {
                            Error("invalid-value", $"'{sched.Text}' is not an IPVS scheduler ({string.Join(", ", Schedulers.Order(StringComparer.Ordinal))})", sched.Location);
                        }
                    }

                    break;
                case "lb_kind":
                case "lvs_method":
                    if (ReadForwarding(s, label) is { } method)
                    {
                        (forwarding, tunnel) = method;
                    }

                    break;
                case "sh-port":
                case "sh-fallback":
                case "mh-port":
                case "mh-fallback":
                case "flag-1":
                case "flag-2":
                case "flag-3":
                    NoBlock(s);
                    ExtraArguments(s, 0);
                    if (!flags.Any(f => f.Text == s.Name))
                    {
                        flags.Add(s.Keyword);
                    }

                    break;
                case "ops":
                    NoBlock(s);
                    ExtraArguments(s, 0);
                    onePacket = true;
                    break;
                case "persistence_timeout":
                    NoBlock(s);
                    if (s.Arguments.Count == 0)
                    {
                        persistenceTimeout = DefaultPersistenceTimeout;
                    }
                    else if (Int(s, 1, 2678400) is { } seconds)
                    {
                        persistenceTimeout = TimeSpan.FromSeconds(seconds);
                    }

                    break;
                case "persistence_granularity":
                    granularity = Word(s);
                    break;
                case "persistence_engine":
                    engine = Word(s)?.Text ?? engine;
                    break;
                case "protocol":
                    if (Word(s) is { } proto)
                    {
                        switch (proto.Text.ToUpperInvariant())
                        {
                            case "TCP":
                                protocol = Protocol.Tcp;
                                break;
                            case "UDP":
                                protocol = Protocol.Udp;
                                break;
                            case "SCTP":
                                protocol = Protocol.Sctp;
                                break;
                            default:
                                Error("invalid-value", $"'protocol' is TCP, UDP or SCTP, not '{proto.Text}'", proto.Location);
                                break;
                        }
                    }

                    break;
                case "ip_family":
                    if (Word(s) is { } fam)
                    {
                        familyToken = fam;
                        if (fam.Text is "inet" or "inet6")
                        {
                            var wanted = fam.Text == "inet" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                            if (family is { } known && known != wanted)
                            {
                                Error("invalid-value", $"{label}: ip_family {fam.Text} contradicts the virtual server's address", fam.Location);
                            }

                            family = wanted;
                        }
                        else
                        {
                            Error("invalid-value", $"'ip_family' is inet or inet6, not '{fam.Text}'", fam.Location);
                        }
                    }

                    break;
                case "sorry_server":
                    NoBlock(s);
                    if (s.Arguments.Count == 0)
                    {
                        Error("missing-value", "'sorry_server' needs IP [PORT]", s.Location);
                    }
                    else if (Address(s.Arguments[0], "sorry_server") is { } sorryAddress)
                    {
                        var sorryPort = s.Arguments.Count > 1 ? Port(s.Arguments[1], "sorry_server port") : 0;
                        ExtraArguments(s, 2);
                        if (sorryPort is { } sp)
                        {
                            sorry = new SorryServer(sorryAddress, sp, sorry?.Forwarding);
                        }
                    }

                    break;
                case "sorry_server_lvs_method":
                    if (ReadForwarding(s, label) is { } sorryMethod)
                    {
                        if (sorry is null)
                        {
                            Error("missing-value", $"{label}: 'sorry_server_lvs_method' comes before or without 'sorry_server'", s.Location);
                        }
                        else
                        {
                            sorry = sorry with { Forwarding = sorryMethod.Forwarding };
                            if (sorryMethod.Tunnel is not null && sorryMethod.Tunnel != tunnel)
                            {
                                Warning("unsupported-keyword", $"{label}: the sorry server's own tunnel options are not supported; it uses the service's", s.Location);
                            }
                        }
                    }

                    break;
                case "inhibit_on_failure":
                    inhibit = Flag(s);
                    break;
                case "quorum":
                    quorum = Int(s, 1, int.MaxValue) ?? quorum;
                    break;
                case "hysteresis":
                    hysteresis = Int(s, 0, int.MaxValue) ?? hysteresis;
                    break;
                case "quorum_up":
                    quorumUp = NotifyCommand(s, label) ?? quorumUp;
                    break;
                case "quorum_down":
                    quorumDown = NotifyCommand(s, label) ?? quorumDown;
                    break;
                case "omega":
                    omega = Flag(s);
                    break;
                case "smtp_alert":
                    mail = SmtpAlert(s, label);
                    break;
                case "real_server":
                    realServerStatements.Add(s);
                    break;
                default:
                    Unsupported(s, label);
                    break;
            }
        }

        if (granularity is not null)
        {
            persistencePrefix = GranularityPrefix(granularity, family ?? AddressFamily.InterNetwork);
            persistenceTimeout ??= DefaultPersistenceTimeout;
        }

        if (engine is not null && persistenceTimeout is null)
        {
            Warning("invalid-value", $"{label}: persistence_engine without persistence_timeout has no effect; ignored", statement.Location);
            engine = null;
        }

        // keepalived ignores the sh-* and mh-* flags for other schedulers.
        foreach (var flag in flags.Where(f => f.Text.Contains('-', StringComparison.Ordinal) && !f.Text.StartsWith("flag-", StringComparison.Ordinal)).ToList())
        {
            var wanted = flag.Text[..2];
            if ((scheduler ?? "wlc") != wanted)
            {
                Warning("unsupported-keyword", $"{label}: '{flag.Text}' only applies to the {wanted} scheduler and is ignored (as keepalived does)", flag.Location);
                flags.Remove(flag);
            }
        }

        var defaults = new CheckDefaults(delayLoop, connectTimeout, retry, delayBeforeRetry, warmup, virtualHost) { Alpha = alpha };
        var realServers = new List<RealServer>();
        foreach (var rs in realServerStatements)
        {
            if (ReadRealServer(rs, label, defaults, forwarding, tunnel, inhibit) is { } server)
            {
                if (server.Forwarding is not Forwarding.Tunnel && (server.Forwarding ?? forwarding) != Forwarding.Tunnel &&
                    family is { } f && server.Address.AddressFamily != f)
                {
                    Error("address-family", $"{label}: real server {server.Endpoint} is not of the virtual server's address family", rs.Location);
                    continue;
                }

                family ??= server.Address.AddressFamily;
                if (realServers.Any(r => r.Address.Equals(server.Address) && r.Port == server.Port))
                {
                    Error("duplicate-real-server", $"{label}: real server {server.Endpoint} is listed twice", rs.Location);
                    continue;
                }

                realServers.Add(server);
            }
        }

        if (familyToken is null && mark is not null && family is null)
        {
            family = AddressFamily.InterNetwork;
        }

        if (sorry is not null && sorry.Forwarding == forwarding)
        {
            sorry = sorry with { Forwarding = null };
        }

        // A check every real server shares becomes the service's default check.
        HealthCheck? serviceCheck = null;
        if (realServers.Count > 0 && realServers[0].HealthCheck is { } first && realServers.All(r => first.Equals(r.HealthCheck)))
        {
            serviceCheck = first;
            realServers = realServers.Select(r => r with { HealthCheck = null }).ToList();
        }

        var service = new VirtualService(
            Name: ServiceNames.For(protocol, address, port, mark, family ?? AddressFamily.InterNetwork),
            Address: address,
            Port: port,
            Protocol: protocol,
            FirewallMark: mark,
            Family: family ?? AddressFamily.InterNetwork,
            Scheduler: scheduler ?? "wlc",
            SchedulerFlags: flags.Select(f => f.Text).ToValueList(),
            Forwarding: forwarding,
            Tunnel: tunnel,
            Persistence: persistenceTimeout is { } pt ? new Persistence(pt, persistencePrefix, engine) : null,
            OnePacket: onePacket,
            SorryServer: sorry,
            Quorum: quorum is null && hysteresis is null ? null : new Quorum(quorum ?? 1, hysteresis ?? 0),
            InhibitOnFailure: inhibit,
            VrrpInstance: null,
            HealthCheck: serviceCheck,
            RealServers: realServers.ToValueList())
        {
            Notify = quorumUp is null && quorumDown is null && !omega && mail is null ? null : new ServiceNotify(quorumUp, quorumDown, omega) { Mail = mail },
        };
        _node.Services.Add(new Located<VirtualService>(service, statement.Location));
    }
}
