using Newtonsoft.Json.Linq;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Loading;

internal sealed partial class TopologyBinder
{
    private VrrpInstance? BindInstance(JObject json, string pointer)
    {
        if (Text(json, "name") is not { } name)
        {
            return null;
        }

        var overrides = ValueMap<string>.Create(Entries(json, "interfaceOverrides")
            .Where(e => e.Value.Type == JTokenType.String)
            .Select(e => new KeyValuePair<string, string>(e.Key, (string)e.Value!)));
        var priorities = ValueMap<int>.Create(Entries(json, "priorities")
            .Where(e => e.Value.Type == JTokenType.Integer && (long)e.Value >= int.MinValue && (long)e.Value <= int.MaxValue)
            .Select(e => new KeyValuePair<string, int>(e.Key, (int)e.Value)));

        return new VrrpInstance(
            name,
            Text(json, "interface") ?? string.Empty,
            overrides,
            Int(json, "virtualRouterId") ?? 0,
            Int(json, "version") ?? TopologyDefaults.VrrpVersion,
            Duration(json, "advertInterval", pointer) ?? TopologyDefaults.AdvertInterval,
            priorities,
            Bool(json, "preempt") ?? TopologyDefaults.Preempt,
            Duration(json, "preemptDelay", pointer) ?? TopologyDefaults.PreemptDelay,
            json["authentication"] is JObject auth ? BindAuthentication(auth, JsonPointer.Append(pointer, "authentication")) : null,
            VirtualAddresses(json, pointer),
            Addresses(json, "unicastPeers", pointer),
            TrackChecks(json, pointer),
            TrackInterfaces(json, pointer),
            Notify(json, pointer),
            json["garp"] is JObject garp ? BindGarp(garp, JsonPointer.Append(pointer, "garp")) : TopologyDefaults.Garp)
        {
            ConnectionSync = json["connectionSync"] is JObject sync ? BindConnectionSync(sync, JsonPointer.Append(pointer, "connectionSync")) : null,
            VirtualRoutes = Routes(json, "virtualRoutes", pointer),
            VirtualRules = Rules(json, "virtualRules", pointer),
            Vmac = BindVmac(json),
            VirtualAddressLabels = VirtualAddressLabels(json, pointer),
        };
    }

    private VrrpSyncGroup? BindSyncGroup(JObject json, string pointer)
    {
        if (Text(json, "name") is not { } name)
        {
            return null;
        }

        return new VrrpSyncGroup(
            name,
            Strings(json, "instances"),
            TrackChecks(json, pointer),
            TrackInterfaces(json, pointer),
            Notify(json, pointer),
            Bool(json, "trackingWeights") ?? TopologyDefaults.SyncGroupTrackingWeights);
    }

    /// <summary>An instance's or a sync group's <c>trackChecks</c>.</summary>
    private ValueList<TrackedCheckReference> TrackChecks(JObject json, string pointer) =>
        List(json, "trackChecks", pointer, (item, _) =>
            Text(item, "check") is { } check ? new TrackedCheckReference(check, Int(item, "weight")) { Reverse = Bool(item, "reverse") } : null);

    /// <summary>An instance's or a sync group's <c>trackInterfaces</c>.</summary>
    private ValueList<TrackedInterface> TrackInterfaces(JObject json, string pointer) =>
        List(json, "trackInterfaces", pointer, (item, _) =>
            Text(item, "interface") is { } name ? new TrackedInterface(name, Int(item, "weight") ?? TopologyDefaults.TrackInterfaceWeight) : null);

    private VrrpNotify? Notify(JObject json, string pointer) =>
        json["notify"] is JObject notify ? BindNotify(notify, JsonPointer.Append(pointer, "notify")) : null;

    private ConnectionSync BindConnectionSync(JObject json, string pointer) => new(
        Text(json, "interface"),
        Int(json, "syncId"),
        Int(json, "maxLength"),
        Int(json, "port"),
        Int(json, "ttl"),
        Address(json, "group", pointer));

    private ValueList<InterfaceAddress> VirtualAddresses(JObject json, string pointer)
    {
        if (json["virtualAddresses"] is not JArray array)
        {
            return [];
        }

        var listPointer = JsonPointer.Append(pointer, "virtualAddresses");
        var result = new List<InterfaceAddress>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JValue { Type: JTokenType.String } value)
            {
                continue;
            }

            var text = (string)value!;
            if (InterfaceAddress.TryParse(text, out var address) && (address.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Split('/')[0].Count(c => c == '.') == 3))
            {
                result.Add(address);
            }
            else
            {
                Error(JsonPointer.Append(listPointer, i), $"'{text}' is not an address or ADDRESS/PREFIX-LENGTH (examples: 192.168.1.120, 192.168.1.120/24, 2001:db8::1/64)");
            }
        }

        return result.ToValueList();
    }

    private VrrpAuthentication? BindAuthentication(JObject json, string pointer)
    {
        var password = Text(json, "password");
        var file = Text(json, "passwordFile");
        if (Has(json, "password") == Has(json, "passwordFile"))
        {
            Error(pointer, "give either password or passwordFile");
            return null;
        }

        return new VrrpAuthentication(password, file);
    }

    private VrrpNotify BindNotify(JObject json, string pointer)
    {
        Uri? webhook = null;
        if (Text(json, "webhook") is { } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                webhook = uri;
            }
            else
            {
                Error(JsonPointer.Append(pointer, "webhook"), $"'{text}' is not an http:// or https:// URL");
            }
        }

        return new VrrpNotify(Text(json, "master"), Text(json, "backup"), Text(json, "fault"), Text(json, "stop"), Text(json, "any"), webhook)
        {
            Mail = Bool(json, "mail"),
        };
    }

    private GratuitousArp BindGarp(JObject json, string pointer) => new(
        Int(json, "count") ?? TopologyDefaults.Garp.Count,
        Duration(json, "repeatDelay", pointer) ?? TopologyDefaults.Garp.RepeatDelay,
        Int(json, "repeatCount") ?? TopologyDefaults.Garp.RepeatCount);
}
