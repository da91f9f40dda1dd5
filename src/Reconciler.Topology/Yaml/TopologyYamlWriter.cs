using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Yaml;

using Topology = Reconciler.Topology.Model.Topology;

/// <summary>
/// Writes a topology as canonical YAML: fields in a fixed order, defaults (<see cref="TopologyDefaults"/>)
/// left out, durations as <see cref="Durations.Format"/> gives them, short lists and small settings on one
/// line. Loading the output gives back an equal topology.
/// </summary>
public static class TopologyYamlWriter
{
    /// <param name="schemaReference">When given, the first line is a yaml-language-server modeline pointing at it,
    /// so that editors validate and complete the file.</param>
    public static string Write(Topology topology, string? schemaReference = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var root = new YamlMappingNode { Block = true };
        AddList(root, "nodes", topology.Nodes, NodeTree);
        AddList(root, "checks", topology.Checks, CheckTree);
        AddList(root, "vrrpInstances", topology.VrrpInstances, InstanceTree);
        AddList(root, "vrrpSyncGroups", topology.SyncGroups, SyncGroupTree);
        AddList(root, "services", topology.Services, ServiceTree);
        if (topology.Mail is { } mail)
        {
            root.Add("mail", MailTree(mail));
        }

        var output = new StringBuilder();
        if (schemaReference is not null)
        {
            output.Append("# yaml-language-server: $schema=").Append(schemaReference).Append('\n');
        }

        if (root.Count == 0)
        {
            output.Append("{}\n");
        }
        else
        {
            root.WriteBlock(output, 0);
        }

        return output.ToString();
    }

    private static void AddList<T>(YamlMappingNode parent, string key, IReadOnlyList<T> items, Func<T, YamlTree> tree)
    {
        if (items.Count == 0)
        {
            return;
        }

        var sequence = new YamlSequenceNode { Block = true };
        foreach (var item in items)
        {
            sequence.Items.Add(tree(item));
        }

        parent.Add(key, sequence);
    }

    private static YamlMappingNode NodeTree(Node node)
    {
        var map = new YamlMappingNode { Block = true }.Add("name", Str(node.Name));
        AddScalars(map, "addresses", node.Addresses, a => Str(a.ToString()));
        AddScalars(map, "interfaces", node.Interfaces, Str);
        if (!node.Network.IsEmpty)
        {
            var network = new YamlMappingNode { Block = true };
            AddItems(network, "addresses", node.Network.Addresses, StaticAddressTree);
            AddItems(network, "routes", node.Network.Routes, RouteTree);
            AddItems(network, "rules", node.Network.Rules, RuleTree);
            map.Add("network", network);
        }

        return map;
    }

    private static YamlMappingNode CheckTree(TrackedCheck check)
    {
        var map = new YamlMappingNode { Block = true }.Add("name", Str(check.Name));
        AddScalars(map, "command", check.Command, Str, always: check.File is null);
        AddDuration(map, "interval", check.Interval, TopologyDefaults.CheckInterval);
        AddDuration(map, "timeout", check.Timeout, TopologyDefaults.CheckTimeout(check.Interval));
        AddInt(map, "rise", check.Rise, TopologyDefaults.CheckRise);
        AddInt(map, "fall", check.Fall, TopologyDefaults.CheckFall);
        AddInt(map, "weight", check.Weight, check.File is null ? TopologyDefaults.CheckWeight : TopologyDefaults.TrackedFileWeight);
        if (check.File is { } file)
        {
            var fileMap = new YamlMappingNode().Add("path", Str(file.Path));
            AddBool(fileMap, "reverse", file.Reverse, false);
            if (file.Init is { } init)
            {
                var initMap = new YamlMappingNode();
                AddInt(initMap, "value", init.Value, 0);
                AddBool(initMap, "overwrite", init.Overwrite, false);
                fileMap.Add("init", initMap);
            }

            map.Add("file", fileMap);
        }

        return map;
    }

    private static YamlMappingNode InstanceTree(VrrpInstance instance)
    {
        var map = new YamlMappingNode { Block = true }
            .Add("name", Str(instance.Name))
            .Add("interface", Str(instance.Interface));
        AddMap(map, "interfaceOverrides", instance.InterfaceOverrides, Str);
        map.Add("virtualRouterId", Int(instance.VirtualRouterId));
        AddInt(map, "version", instance.Version, TopologyDefaults.VrrpVersion);
        AddDuration(map, "advertInterval", instance.AdvertInterval, TopologyDefaults.AdvertInterval);
        AddMap(map, "priorities", instance.Priorities, p => Int(p), always: true);
        AddBool(map, "preempt", instance.Preempt, TopologyDefaults.Preempt);
        AddDuration(map, "preemptDelay", instance.PreemptDelay, TopologyDefaults.PreemptDelay);
        if (instance.Authentication is { } auth)
        {
            var authMap = new YamlMappingNode();
            AddOptional(authMap, "password", auth.Password);
            AddOptional(authMap, "passwordFile", auth.PasswordFile);
            map.Add("authentication", authMap);
        }

        AddScalars(map, "virtualAddresses", instance.VirtualAddresses, FormatInterfaceAddress, always: true);
        AddMap(map, "virtualAddressLabels", instance.VirtualAddressLabels, Str);
        if (instance.Vmac is { } vmac)
        {
            var vmacMap = new YamlMappingNode().Add("name", Str(vmac.Name));
            AddBool(vmacMap, "transmitBase", vmac.TransmitBase, false);
            map.Add("vmac", vmacMap);
        }

        AddScalars(map, "unicastPeers", instance.UnicastPeers, a => Str(a.ToString()));
        AddTracking(map, instance.TrackChecks, instance.TrackInterfaces);
        AddNotify(map, instance.Notify);

        if (instance.Garp != TopologyDefaults.Garp)
        {
            var garp = new YamlMappingNode();
            AddInt(garp, "count", instance.Garp.Count, TopologyDefaults.Garp.Count);
            AddDuration(garp, "repeatDelay", instance.Garp.RepeatDelay, TopologyDefaults.Garp.RepeatDelay);
            AddInt(garp, "repeatCount", instance.Garp.RepeatCount, TopologyDefaults.Garp.RepeatCount);
            map.Add("garp", garp);
        }

        if (instance.ConnectionSync is { } sync)
        {
            var syncMap = new YamlMappingNode();
            AddOptional(syncMap, "interface", sync.Interface);
            AddOptionalInt(syncMap, "syncId", sync.SyncId);
            AddOptionalInt(syncMap, "maxLength", sync.MaxLength);
            AddOptionalInt(syncMap, "port", sync.Port);
            AddOptionalInt(syncMap, "ttl", sync.Ttl);
            AddOptional(syncMap, "group", sync.Group?.ToString());
            map.Add("connectionSync", syncMap);
        }

        AddItems(map, "virtualRoutes", instance.VirtualRoutes, RouteTree);
        AddItems(map, "virtualRules", instance.VirtualRules, RuleTree);
        return map;
    }

    private static YamlMappingNode SyncGroupTree(VrrpSyncGroup group)
    {
        var map = new YamlMappingNode { Block = true }.Add("name", Str(group.Name));
        AddScalars(map, "instances", group.Instances, Str, always: true);
        AddTracking(map, group.TrackChecks, group.TrackInterfaces);
        AddNotify(map, group.Notify);
        AddBool(map, "trackingWeights", group.TrackingWeights, TopologyDefaults.SyncGroupTrackingWeights);
        return map;
    }

    /// <summary>An instance's or a sync group's <c>trackChecks</c> and <c>trackInterfaces</c>.</summary>
    private static void AddTracking(YamlMappingNode map, IReadOnlyList<TrackedCheckReference> checks, IReadOnlyList<TrackedInterface> interfaces)
    {
        if (checks.Count > 0)
        {
            var list = new YamlSequenceNode();
            foreach (var track in checks)
            {
                var item = new YamlMappingNode().Add("check", Str(track.Check));
                if (track.Weight is { } weight)
                {
                    item.Add("weight", Int(weight));
                }

                if (track.Reverse is { } reverse)
                {
                    item.Add("reverse", YamlScalars.FormatBoolean(reverse));
                }

                list.Items.Add(item);
            }

            map.Add("trackChecks", list);
        }

        if (interfaces.Count > 0)
        {
            var list = new YamlSequenceNode();
            foreach (var track in interfaces)
            {
                var item = new YamlMappingNode().Add("interface", Str(track.Interface));
                AddInt(item, "weight", track.Weight, TopologyDefaults.TrackInterfaceWeight);
                list.Items.Add(item);
            }

            map.Add("trackInterfaces", list);
        }
    }

    private static YamlMappingNode MailTree(MailAlerts mail)
    {
        var map = new YamlMappingNode { Block = true }.Add("server", Str(mail.ServerText));
        AddOptional(map, "from", mail.From);
        AddScalars(map, "to", mail.To, Str, always: true);
        AddOptional(map, "heloName", mail.HeloName);
        AddDuration(map, "connectTimeout", mail.ConnectTimeout, MailAlerts.DefaultConnectTimeout);
        AddBool(map, "vrrp", mail.Vrrp, false);
        AddBool(map, "checkers", mail.Checkers, false);
        return map;
    }

    private static void AddOptionalBool(YamlMappingNode map, string key, bool? value)
    {
        if (value is { } flag)
        {
            map.Add(key, YamlScalars.FormatBoolean(flag));
        }
    }

    private static void AddNotify(YamlMappingNode map, VrrpNotify? notify)
    {
        if (notify is null)
        {
            return;
        }

        var notifyMap = new YamlMappingNode();
        AddOptional(notifyMap, "master", notify.Master);
        AddOptional(notifyMap, "backup", notify.Backup);
        AddOptional(notifyMap, "fault", notify.Fault);
        AddOptional(notifyMap, "stop", notify.Stop);
        AddOptional(notifyMap, "any", notify.Any);
        AddOptional(notifyMap, "webhook", notify.Webhook?.OriginalString);
        AddOptionalBool(notifyMap, "mail", notify.Mail);
        map.Add("notify", notifyMap);
    }

    /// <summary>A list of small mappings, each on one line when it fits.</summary>
    private static void AddItems<T>(YamlMappingNode parent, string key, IReadOnlyList<T> items, Func<T, YamlMappingNode> tree)
    {
        if (items.Count == 0)
        {
            return;
        }

        var sequence = new YamlSequenceNode { Block = true };
        foreach (var item in items)
        {
            sequence.Items.Add(tree(item));
        }

        parent.Add(key, sequence);
    }

    private static YamlMappingNode StaticAddressTree(StaticAddress address)
    {
        var map = new YamlMappingNode()
            .Add("interface", Str(address.Interface))
            .Add("address", FormatInterfaceAddress(address.Address));
        AddOptional(map, "label", address.Label);
        return map;
    }

    /// <summary>A route; its destination is <c>default</c> when that loads back as the same prefix (IPv6's only with an
    /// IPv6 gateway or source).</summary>
    private static YamlMappingNode RouteTree(IpRoute route)
    {
        var destination = route.Destination;
        var defaultFamily = (route.Via ?? route.Source)?.AddressFamily ?? AddressFamily.InterNetwork;
        var isDefault = destination.PrefixLength == 0 && destination.Family == defaultFamily
            && destination.Address.Equals(defaultFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);
        var map = new YamlMappingNode().Add("to", isDefault ? new YamlScalarNode("default") : FormatInterfaceAddress(destination));
        if (route.Type != RouteType.Unicast)
        {
            map.Add("type", ModelText.Of(route.Type));
        }

        AddOptional(map, "via", route.Via?.ToString());
        AddOptional(map, "dev", route.Interface);
        AddOptional(map, "src", route.Source?.ToString());
        AddOptionalInt(map, "table", route.Table);
        AddOptionalInt(map, "metric", route.Metric);
        if (route.Scope is { } scope)
        {
            map.Add("scope", ModelText.Of(scope));
        }

        AddBool(map, "onLink", route.OnLink, false);
        AddBool(map, "track", route.Track, true);
        return map;
    }

    /// <summary>A rule; its action is left out when the binder gives it back (goto with a goto, else table), and the
    /// firewall mark and mask are written in hex.</summary>
    private static YamlMappingNode RuleTree(IpRule rule)
    {
        var map = new YamlMappingNode();
        if (rule.From is { } from)
        {
            map.Add("from", FormatInterfaceAddress(from));
        }

        if (rule.To is { } to)
        {
            map.Add("to", FormatInterfaceAddress(to));
        }

        AddOptionalInt(map, "priority", rule.Priority);
        if (rule.Action != (rule.GotoPriority is null ? RuleAction.Table : RuleAction.Goto))
        {
            map.Add("action", ModelText.Of(rule.Action));
        }

        AddOptionalInt(map, "table", rule.Table);
        AddOptionalInt(map, "goto", rule.GotoPriority);
        if (rule.FirewallMark is { } mark)
        {
            map.Add("fwmark", string.Create(CultureInfo.InvariantCulture, $"0x{mark:x}"));
        }

        if (rule.FirewallMask is { } mask)
        {
            map.Add("fwmask", string.Create(CultureInfo.InvariantCulture, $"0x{mask:x}"));
        }

        AddOptional(map, "iif", rule.InputInterface);
        AddOptional(map, "oif", rule.OutputInterface);
        AddBool(map, "track", rule.Track, true);
        return map;
    }

    private static YamlMappingNode ServiceTree(VirtualService service)
    {
        var map = new YamlMappingNode { Block = true }.Add("name", Str(service.Name));
        if (service.FirewallMark is { } mark)
        {
            map.Add("firewallMark", YamlScalars.FormatInteger(mark));
            if (service.Family != TopologyDefaults.FirewallMarkFamily)
            {
                map.Add("family", ModelText.Of(service.Family));
            }
        }
        else
        {
            if (service.Address is { } address)
            {
                map.Add("address", Str(address.ToString()));
            }

            if (service.Port is { } port)
            {
                map.Add("port", Int(port));
            }

            if (service.Protocol != TopologyDefaults.ServiceProtocol)
            {
                map.Add("protocol", ModelText.Of(service.Protocol));
            }
        }

        if (service.Scheduler != TopologyDefaults.Scheduler)
        {
            map.Add("scheduler", Str(service.Scheduler));
        }

        AddScalars(map, "schedulerFlags", service.SchedulerFlags, Str);
        if (service.Forwarding != TopologyDefaults.ServiceForwarding)
        {
            map.Add("forwarding", ModelText.Of(service.Forwarding));
        }

        if (service.Tunnel is { } tunnel)
        {
            var tunnelMap = new YamlMappingNode().Add("type", ModelText.Of(tunnel.Type));
            if (tunnel.Port is { } tunnelPort)
            {
                tunnelMap.Add("port", Int(tunnelPort));
            }

            AddBool(tunnelMap, "checksum", tunnel.Checksum, false);
            AddBool(tunnelMap, "remoteChecksum", tunnel.RemoteChecksum, false);
            map.Add("tunnel", tunnelMap);
        }

        if (service.Persistence is { } persistence)
        {
            var persistenceMap = new YamlMappingNode();
            AddDuration(persistenceMap, "timeout", persistence.Timeout, TopologyDefaults.PersistenceTimeout);
            if (persistence.PrefixLength is { } prefix)
            {
                persistenceMap.Add("prefixLength", Int(prefix));
            }

            AddOptional(persistenceMap, "engine", persistence.Engine);
            map.Add("persistence", persistenceMap);
        }

        AddBool(map, "onePacket", service.OnePacket, false);
        if (service.SorryServer is { } sorry)
        {
            var sorryMap = new YamlMappingNode().Add("address", Str(sorry.Address.ToString())).Add("port", Int(sorry.Port));
            if (sorry.Forwarding is { } sorryForwarding)
            {
                sorryMap.Add("forwarding", ModelText.Of(sorryForwarding));
            }

            map.Add("sorryServer", sorryMap);
        }

        if (service.Quorum is { } quorum)
        {
            var quorumMap = new YamlMappingNode();
            AddInt(quorumMap, "minimum", quorum.Minimum, TopologyDefaults.QuorumMinimum);
            AddInt(quorumMap, "hysteresis", quorum.Hysteresis, TopologyDefaults.QuorumHysteresis);
            map.Add("quorum", quorumMap);
        }

        AddBool(map, "inhibitOnFailure", service.InhibitOnFailure, false);
        AddOptional(map, "vrrpInstance", service.VrrpInstance);
        if (service.HealthCheck is { } check)
        {
            map.Add("healthCheck", HealthCheckTree(check));
        }

        if (service.Notify is { } notify)
        {
            var notifyMap = new YamlMappingNode();
            AddOptional(notifyMap, "quorumUp", notify.QuorumUp);
            AddOptional(notifyMap, "quorumDown", notify.QuorumDown);
            AddBool(notifyMap, "atShutdown", notify.AtShutdown, false);
            AddOptionalBool(notifyMap, "mail", notify.Mail);
            map.Add("notify", notifyMap);
        }

        AddList(map, "realServers", service.RealServers, RealServerTree);
        return map;
    }

    private static YamlMappingNode RealServerTree(RealServer server)
    {
        var map = new YamlMappingNode { Block = true }
            .Add("address", Str(server.Address.ToString()))
            .Add("port", Int(server.Port));
        AddInt(map, "weight", server.Weight, TopologyDefaults.RealServerWeight);
        AddInt(map, "upperThreshold", server.UpperThreshold, 0);
        AddInt(map, "lowerThreshold", server.LowerThreshold, 0);
        if (server.Forwarding is { } forwarding)
        {
            map.Add("forwarding", ModelText.Of(forwarding));
        }

        if (server.HealthCheck is { } check)
        {
            map.Add("healthCheck", HealthCheckTree(check));
        }

        if (server.Notify is { } notify)
        {
            var notifyMap = new YamlMappingNode();
            AddOptional(notifyMap, "up", notify.Up);
            AddOptional(notifyMap, "down", notify.Down);
            map.Add("notify", notifyMap);
        }

        return map;
    }

    private static YamlMappingNode HealthCheckTree(HealthCheck check)
    {
        var map = new YamlMappingNode { Block = true }.Add("type", ModelText.Of(check.Kind));
        AddDuration(map, "interval", check.Interval, TopologyDefaults.HealthCheckInterval);
        AddDuration(map, "connectTimeout", check.ConnectTimeout, TopologyDefaults.ConnectTimeout);
        AddInt(map, "retries", check.Retries, TopologyDefaults.Retries(check.Kind));
        AddDuration(map, "delayBeforeRetry", check.DelayBeforeRetry, TopologyDefaults.DelayBeforeRetry(check.Kind, check.Interval));
        AddInt(map, "rise", check.Rise, TopologyDefaults.HealthCheckRise);
        AddInt(map, "fall", check.Fall, TopologyDefaults.HealthCheckFall);
        AddDuration(map, "warmup", check.Warmup, TopologyDefaults.Warmup);
        AddBool(map, "alpha", check.Alpha, false);
        if (check.Port is { } port)
        {
            map.Add("port", Int(port));
        }

        if (check.BindAddress is { } bind)
        {
            map.Add("bindAddress", Str(bind.ToString()));
        }

        if (check.Http is { } http && !(IsHttp(check.Kind) && http == TopologyDefaults.Http))
        {
            var httpMap = new YamlMappingNode();
            if (http.Path != TopologyDefaults.HttpPath)
            {
                httpMap.Add("path", Str(http.Path));
            }

            AddExpectedStatus(httpMap, http.ExpectedStatus);
            AddOptional(httpMap, "bodyDigest", http.BodyDigest);
            AddOptional(httpMap, "host", http.Host);
            AddBool(httpMap, "verifyTls", http.VerifyTls, TopologyDefaults.HttpVerifyTls);
            if (http.MoreUrls.Count > 0)
            {
                var urls = new YamlSequenceNode();
                urls.Items.AddRange(http.MoreUrls.Select(url => HttpUrl(url, http.Host)));
                httpMap.Add("moreUrls", urls);
            }

            map.Add("http", httpMap);
        }

        if (check.Exec is { } exec)
        {
            var execMap = new YamlMappingNode();
            AddScalars(execMap, "command", exec.Command, Str, always: true);
            AddDuration(execMap, "timeout", exec.Timeout, TopologyDefaults.ExecTimeout(check.Interval));
            AddBool(execMap, "dynamicWeight", exec.DynamicWeight, false);
            map.Add("exec", execMap);
        }

        // null (keepalived's defaults) is left out; a mapping, even one with every key at its default, is written,
        // so that it loads back as itself.
        if (check.Udp is { } udp)
        {
            var udpMap = new YamlMappingNode();
            AddOptional(udpMap, "payload", udp.Payload);
            AddBool(udpMap, "requireReply", udp.RequireReply, TopologyDefaults.Udp.RequireReply);
            AddOptional(udpMap, "replyPattern", udp.ReplyPattern);
            AddInt(udpMap, "minReplyLength", udp.MinReplyLength, TopologyDefaults.Udp.MinReplyLength);
            AddInt(udpMap, "maxReplyLength", udp.MaxReplyLength, TopologyDefaults.Udp.MaxReplyLength);
            map.Add("udp", udpMap);
        }

        if (check.Dns is { } dns)
        {
            var dnsMap = new YamlMappingNode();
            AddText(dnsMap, "type", dns.Type, TopologyDefaults.Dns.Type);
            AddText(dnsMap, "name", dns.Name, TopologyDefaults.Dns.Name);
            map.Add("dns", dnsMap);
        }

        if (check.Smtp is { } smtp)
        {
            var smtpMap = new YamlMappingNode();
            AddText(smtpMap, "heloName", smtp.HeloName, TopologyDefaults.Smtp.HeloName);
            map.Add("smtp", smtpMap);
        }

        if (check.File is { } fileCheck)
        {
            var fileMap = new YamlMappingNode().Add("check", Str(fileCheck.Check));
            if (fileCheck.Weight is { } weight)
            {
                fileMap.Add("weight", Int(weight));
            }

            AddBool(fileMap, "reverse", fileCheck.Reverse, false);
            map.Add("file", fileMap);
        }

        if (check.SlowStart is { } slowStart)
        {
            map.Add("slowStart", new YamlMappingNode().Add("duration", Durations.Format(slowStart.Duration)));
        }

        return map;
    }

    /// <summary>One of an http check's further urls: its path always, its host only when it is not the check's.</summary>
    private static YamlMappingNode HttpUrl(HttpUrl url, string? checkHost)
    {
        var urlMap = new YamlMappingNode().Add("path", Str(url.Path));
        AddExpectedStatus(urlMap, url.ExpectedStatus);
        AddOptional(urlMap, "bodyDigest", url.BodyDigest);
        if (url.Host != checkHost)
        {
            AddOptional(urlMap, "host", url.Host);
        }

        return urlMap;
    }

    private static void AddExpectedStatus(YamlMappingNode map, ValueList<int> expected)
    {
        if (expected != TopologyDefaults.HttpExpectedStatus)
        {
            var statuses = new YamlSequenceNode();
            statuses.Items.AddRange(expected.Select(s => new YamlScalarNode(Int(s))));
            map.Add("expectedStatus", statuses);
        }
    }

    private static bool IsHttp(HealthCheckKind kind) => kind is HealthCheckKind.Http or HealthCheckKind.Https;

    private static string Str(string text) => YamlScalars.FormatString(text);

    private static string Int(long value) => YamlScalars.FormatInteger(value);

    private static YamlScalarNode FormatInterfaceAddress(InterfaceAddress address) =>
        new(Str(address.PrefixLength == InterfaceAddress.FullPrefix(address.Family) ? address.Address.ToString() : address.ToString()));

    private static void AddScalars<T>(YamlMappingNode map, string key, IReadOnlyList<T> items, Func<T, string> format, bool always = false) =>
        AddScalars(map, key, items, item => new YamlScalarNode(format(item)), always);

    private static void AddScalars<T>(YamlMappingNode map, string key, IReadOnlyList<T> items, Func<T, YamlScalarNode> format, bool always = false)
    {
        if (items.Count == 0 && !always)
        {
            return;
        }

        var sequence = new YamlSequenceNode();
        foreach (var item in items)
        {
            sequence.Items.Add(format(item));
        }

        map.Add(key, sequence);
    }

    private static void AddMap<T>(YamlMappingNode map, string key, ValueMap<T> items, Func<T, string> format, bool always = false)
    {
        if (items.Count == 0 && !always)
        {
            return;
        }

        var mapping = new YamlMappingNode();
        foreach (var (name, value) in items)
        {
            mapping.Add(name, format(value));
        }

        map.Add(key, mapping);
    }

    private static void AddDuration(YamlMappingNode map, string key, TimeSpan value, TimeSpan defaultValue)
    {
        if (value != defaultValue)
        {
            map.Add(key, Durations.Format(value));
        }
    }

    private static void AddInt(YamlMappingNode map, string key, long value, long defaultValue)
    {
        if (value != defaultValue)
        {
            map.Add(key, Int(value));
        }
    }

    private static void AddBool(YamlMappingNode map, string key, bool value, bool defaultValue)
    {
        if (value != defaultValue)
        {
            map.Add(key, YamlScalars.FormatBoolean(value));
        }
    }

    private static void AddOptionalInt(YamlMappingNode map, string key, uint? value)
    {
        if (value is { } number)
        {
            map.Add(key, YamlScalars.FormatInteger(number));
        }
    }

    private static void AddOptionalInt(YamlMappingNode map, string key, int? value)
    {
        if (value is { } number)
        {
            map.Add(key, YamlScalars.FormatInteger(number));
        }
    }

    private static void AddText(YamlMappingNode map, string key, string value, string defaultValue)
    {
        if (!string.Equals(value, defaultValue, StringComparison.Ordinal))
        {
            map.Add(key, Str(value));
        }
    }

    private static void AddOptional(YamlMappingNode map, string key, string? value)
    {
        if (value is not null)
        {
            map.Add(key, Str(value));
        }
    }
}
