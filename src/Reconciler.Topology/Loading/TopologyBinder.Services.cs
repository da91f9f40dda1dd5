using System.Net.Sockets;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Loading;

internal sealed partial class TopologyBinder
{
    private VirtualService? BindService(JObject json, string pointer)
    {
        if (Text(json, "name") is not { } name)
        {
            return null;
        }

        var address = Address(json, "address", pointer);
        var port = Int(json, "port");
        var protocol = Text(json, "protocol") is { } protocolText ? ModelText.ParseProtocol(protocolText) : null;
        uint? mark = Integer(json, "firewallMark") is { } markValue && markValue is > 0 and <= uint.MaxValue ? (uint)markValue : null;
        var family = Text(json, "family") is { } familyText ? ModelText.ParseFamily(familyText) : null;
        if (Has(json, "firewallMark"))
        {
            foreach (var property in new[] { "address", "port", "protocol" }.Where(p => Has(json, p)))
            {
                Error(JsonPointer.Append(pointer, property), $"a firewall-mark service has no {property}: the mark selects its packets", atKey: true);
            }
        }
        else
        {
            if (!Has(json, "address") || !Has(json, "port"))
            {
                Error(pointer, "a service needs address and port, or firewallMark");
            }

            if (Has(json, "family"))
            {
                Error(JsonPointer.Append(pointer, "family"), "family is only for firewall-mark services (an address has its own)", atKey: true);
            }
        }

        return new VirtualService(
            name,
            mark is null ? address : null,
            mark is null ? port : null,
            protocol ?? TopologyDefaults.ServiceProtocol,
            mark,
            mark is null ? address?.AddressFamily ?? AddressFamily.InterNetwork : family ?? TopologyDefaults.FirewallMarkFamily,
            Text(json, "scheduler") ?? TopologyDefaults.Scheduler,
            Strings(json, "schedulerFlags"),
            ForwardingOf(json, "forwarding") ?? TopologyDefaults.ServiceForwarding,
            json["tunnel"] is JObject tunnel ? BindTunnel(tunnel) : null,
            json["persistence"] is JObject persistence ? BindPersistence(persistence, JsonPointer.Append(pointer, "persistence")) : null,
            Bool(json, "onePacket") ?? false,
            json["sorryServer"] is JObject sorry ? BindSorryServer(sorry, JsonPointer.Append(pointer, "sorryServer")) : null,
            json["quorum"] is JObject quorum
                ? new Quorum(Int(quorum, "minimum") ?? TopologyDefaults.QuorumMinimum, Int(quorum, "hysteresis") ?? TopologyDefaults.QuorumHysteresis)
                : null,
            Bool(json, "inhibitOnFailure") ?? false,
            Text(json, "vrrpInstance"),
            json["healthCheck"] is JObject check ? BindHealthCheck(check, JsonPointer.Append(pointer, "healthCheck")) : null,
            List(json, "realServers", pointer, BindRealServer))
        {
            Notify = json["notify"] is JObject notify
                ? new ServiceNotify(Text(notify, "quorumUp"), Text(notify, "quorumDown"), Bool(notify, "atShutdown") ?? false) { Mail = Bool(notify, "mail") }
                : null,
        };
    }

    private static TunnelSettings BindTunnel(JObject json) => new(
        Text(json, "type") is { } type ? ModelText.ParseTunnelType(type) ?? TunnelType.Ipip : TunnelType.Ipip,
        Int(json, "port"),
        Bool(json, "checksum") ?? false,
        Bool(json, "remoteChecksum") ?? false);

    private Persistence BindPersistence(JObject json, string pointer) => new(
        Duration(json, "timeout", pointer) ?? TopologyDefaults.PersistenceTimeout,
        Int(json, "prefixLength"),
        Text(json, "engine"));

    private SorryServer? BindSorryServer(JObject json, string pointer) =>
        Address(json, "address", pointer) is { } address && Int(json, "port") is { } port
            ? new SorryServer(address, port, ForwardingOf(json, "forwarding"))
            : null;

    private RealServer? BindRealServer(JObject json, string pointer)
    {
        if (Address(json, "address", pointer) is not { } address || Int(json, "port") is not { } port)
        {
            return null;
        }

        return new RealServer(
            address,
            port,
            Int(json, "weight") ?? TopologyDefaults.RealServerWeight,
            Integer(json, "upperThreshold") is { } upper && upper is >= 0 and <= uint.MaxValue ? (uint)upper : 0,
            Integer(json, "lowerThreshold") is { } lower && lower is >= 0 and <= uint.MaxValue ? (uint)lower : 0,
            ForwardingOf(json, "forwarding"),
            json["healthCheck"] is JObject check ? BindHealthCheck(check, JsonPointer.Append(pointer, "healthCheck")) : null)
        {
            Notify = json["notify"] is JObject notify ? new RealServerNotify(Text(notify, "up"), Text(notify, "down")) : null,
        };
    }

    private HealthCheck? BindHealthCheck(JObject json, string pointer)
    {
        if (Text(json, "type") is not { } typeText || ModelText.ParseHealthCheckKind(typeText) is not { } kind)
        {
            return null;
        }

        var isHttp = kind is HealthCheckKind.Http or HealthCheckKind.Https;
        var interval = Duration(json, "interval", pointer) ?? TopologyDefaults.HealthCheckInterval;
        HttpCheck? http = isHttp ? TopologyDefaults.Http : null;
        if (json["http"] is JObject httpJson)
        {
            if (isHttp)
            {
                var host = Text(httpJson, "host");
                http = new HttpCheck(
                    Text(httpJson, "path") ?? TopologyDefaults.HttpPath,
                    ExpectedStatus(httpJson),
                    Text(httpJson, "bodyDigest"),
                    host,
                    Bool(httpJson, "verifyTls") ?? TopologyDefaults.HttpVerifyTls)
                {
                    MoreUrls = httpJson["moreUrls"] is JArray urls ? BindMoreUrls(urls, host) : ValueList<HttpUrl>.Empty,
                };
            }
            else
            {
                Error(JsonPointer.Append(pointer, "http"), $"http settings apply to type http or https, not {typeText}", atKey: true);
            }
        }

        ExecCheck? exec = null;
        if (json["exec"] is JObject execJson)
        {
            if (kind == HealthCheckKind.Exec)
            {
                exec = new ExecCheck(
                    Strings(execJson, "command"),
                    Duration(execJson, "timeout", JsonPointer.Append(pointer, "exec")) ?? TopologyDefaults.ExecTimeout(interval),
                    Bool(execJson, "dynamicWeight") ?? false);
            }
            else
            {
                Error(JsonPointer.Append(pointer, "exec"), $"exec settings apply to type exec, not {typeText}", atKey: true);
            }
        }
        else if (kind == HealthCheckKind.Exec)
        {
            Error(pointer, "type exec needs exec: {command: [...]}");
        }
        else if (kind == HealthCheckKind.File && json["file"] is not JObject)
        {
            Error(pointer, "type file needs file: {check: NAME}");
        }

        return new HealthCheck(
            kind,
            interval,
            Duration(json, "connectTimeout", pointer) ?? TopologyDefaults.ConnectTimeout,
            Int(json, "retries") ?? TopologyDefaults.Retries(kind),
            Duration(json, "delayBeforeRetry", pointer) ?? TopologyDefaults.DelayBeforeRetry(kind, interval),
            Int(json, "rise") ?? TopologyDefaults.HealthCheckRise,
            Int(json, "fall") ?? TopologyDefaults.HealthCheckFall,
            Duration(json, "warmup", pointer) ?? TopologyDefaults.Warmup,
            Int(json, "port"),
            Address(json, "bindAddress", pointer),
            http,
            exec,
            json["slowStart"] is JObject slow && Duration(slow, "duration", JsonPointer.Append(pointer, "slowStart")) is { } duration
                ? new SlowStart(duration)
                : null)
        {
            Udp = KindSettings(json, "udp", HealthCheckKind.Udp, kind, typeText, pointer, BindUdp),
            Dns = KindSettings(json, "dns", HealthCheckKind.Dns, kind, typeText, pointer, BindDns),
            Smtp = KindSettings(json, "smtp", HealthCheckKind.Smtp, kind, typeText, pointer, BindSmtp),
            File = KindSettings(json, "file", HealthCheckKind.File, kind, typeText, pointer, BindFile),
            Alpha = Bool(json, "alpha") ?? false,
        };
    }

    /// <summary>The mapping of one kind's own settings: null when absent (the model's "keepalived's defaults"),
    /// bound with every key it leaves out at its default when present, refused on another kind.</summary>
    private T? KindSettings<T>(JObject json, string property, HealthCheckKind owner, HealthCheckKind kind, string typeText, string pointer, Func<JObject, T> bind)
        where T : class
    {
        if (json[property] is not JObject settings)
        {
            return null;
        }

        if (kind != owner)
        {
            Error(JsonPointer.Append(pointer, property), $"{property} settings apply to type {property}, not {typeText}", atKey: true);
            return null;
        }

        return bind(settings);
    }

    private static UdpCheck BindUdp(JObject json) => new(
        Text(json, "payload") ?? TopologyDefaults.Udp.Payload,
        Bool(json, "requireReply") ?? TopologyDefaults.Udp.RequireReply,
        Text(json, "replyPattern") ?? TopologyDefaults.Udp.ReplyPattern,
        Int(json, "minReplyLength") ?? TopologyDefaults.Udp.MinReplyLength,
        Int(json, "maxReplyLength") ?? TopologyDefaults.Udp.MaxReplyLength);

    private static DnsCheck BindDns(JObject json) => new(
        Text(json, "type") ?? TopologyDefaults.Dns.Type,
        Text(json, "name") ?? TopologyDefaults.Dns.Name);

    /// <summary>An http check's further urls; a url without a <c>host</c> sends the check's own, as keepalived's url
    /// takes the checker's <c>virtualhost</c>.</summary>
    private static ValueList<HttpUrl> BindMoreUrls(JArray urls, string? checkHost) =>
        urls.OfType<JObject>()
            .Select(url => new HttpUrl(
                Text(url, "path") ?? TopologyDefaults.HttpPath,
                ExpectedStatus(url),
                Text(url, "bodyDigest"),
                Text(url, "host") ?? checkHost))
            .ToValueList();

    private static ValueList<int> ExpectedStatus(JObject url) =>
        url["expectedStatus"] is JArray statuses
            ? statuses.OfType<JValue>().Where(v => v.Type == JTokenType.Integer).Select(v => (int)(long)v).ToValueList()
            : TopologyDefaults.HttpExpectedStatus;

    private static FileCheck BindFile(JObject json) =>
        new(Text(json, "check") ?? string.Empty, Int(json, "weight"), Bool(json, "reverse") ?? false);

    private static SmtpCheck BindSmtp(JObject json) => new(Text(json, "heloName") ?? TopologyDefaults.Smtp.HeloName);
}
