using System.Net;
using System.Net.Sockets;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Builds the model from the merged JSON tree. Lenient about shapes the schema already rejected (those are
/// skipped silently, their error is reported once, by the schema); reports what only binding can see:
/// addresses, durations out of range, settings that exclude each other.
/// </summary>
internal sealed partial class TopologyBinder
{
    public const string Code = "invalid-value";

    private readonly TopologySourceMap _map;
    private readonly List<Diagnostic> _diagnostics;
    private readonly HashSet<string> _failed;

    private TopologyBinder(TopologySourceMap map, List<Diagnostic> diagnostics, HashSet<string> failed)
    {
        _map = map;
        _diagnostics = diagnostics;
        _failed = failed;
    }

    public static Model.Topology? Bind(JObject root, TopologySourceMap map, List<Diagnostic> diagnostics, HashSet<string> failedPointers)
    {
        var binder = new TopologyBinder(map, diagnostics, failedPointers);
        return new Model.Topology(
            binder.List(root, "nodes", string.Empty, binder.BindNode),
            binder.List(root, "checks", string.Empty, binder.BindCheck),
            binder.List(root, "vrrpInstances", string.Empty, binder.BindInstance),
            binder.List(root, "services", string.Empty, binder.BindService))
        {
            SyncGroups = binder.List(root, "vrrpSyncGroups", string.Empty, binder.BindSyncGroup),
            Mail = root["mail"] is JObject mail ? binder.BindMail(mail, "/mail") : null,
        };
    }

    private void Error(string pointer, string message, bool atKey = false)
    {
        if (_failed.Contains(pointer))
        {
            return;
        }

        _failed.Add(pointer);
        var location = atKey ? _map.FindKey(pointer) : _map.Find(pointer);
        _diagnostics.Add(Diagnostic.Error(Code, $"{JsonPointer.Display(pointer)}: {message}", location, pointer));
    }

    private ValueList<T> List<T>(JObject owner, string property, string ownerPointer, Func<JObject, string, T?> bind)
        where T : class
    {
        if (owner[property] is not JArray array)
        {
            return ValueList<T>.Empty;
        }

        var pointer = JsonPointer.Append(ownerPointer, property);
        var result = new List<T>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JObject item && bind(item, JsonPointer.Append(pointer, i)) is { } value)
            {
                result.Add(value);
            }
        }

        return result.ToValueList();
    }

    private static string? Text(JObject owner, string property) =>
        owner[property] is JValue { Type: JTokenType.String } value ? (string?)value : null;

    private static long? Integer(JObject owner, string property) =>
        owner[property] is JValue { Type: JTokenType.Integer } value ? (long)value : null;

    private static int? Int(JObject owner, string property) =>
        Integer(owner, property) is { } value && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    private static bool? Bool(JObject owner, string property) =>
        owner[property] is JValue { Type: JTokenType.Boolean } value ? (bool)value : null;

    private static bool Has(JObject owner, string property) => owner[property] is { Type: not JTokenType.Null };

    private TimeSpan? Duration(JObject owner, string property, string ownerPointer)
    {
        if (Text(owner, property) is not { } text)
        {
            return null;
        }

        if (Durations.TryParse(text, out var value))
        {
            return value;
        }

        Error(JsonPointer.Append(ownerPointer, property), $"'{text}' is not a duration (examples: 100ms, 1s, 1.5s, 5m, 1h30m)");
        return null;
    }

    private IPAddress? Address(string text, string pointer)
    {
        if (IPAddress.TryParse(text, out var address) && !text.Contains('%', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3))
        {
            return address;
        }

        Error(pointer, text.Contains('/', StringComparison.Ordinal)
            ? $"'{text}' is a prefix; an address is expected here"
            : $"'{text}' is not an IP address");
        return null;
    }

    private IPAddress? Address(JObject owner, string property, string ownerPointer) =>
        Text(owner, property) is { } text ? Address(text, JsonPointer.Append(ownerPointer, property)) : null;

    private ValueList<IPAddress> Addresses(JObject owner, string property, string ownerPointer)
    {
        if (owner[property] is not JArray array)
        {
            return [];
        }

        var pointer = JsonPointer.Append(ownerPointer, property);
        var result = new List<IPAddress>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JValue { Type: JTokenType.String } value && Address((string)value!, JsonPointer.Append(pointer, i)) is { } address)
            {
                result.Add(address);
            }
        }

        return result.ToValueList();
    }

    private static ValueList<string> Strings(JObject owner, string property) =>
        owner[property] is JArray array
            ? array.OfType<JValue>().Where(v => v.Type == JTokenType.String).Select(v => (string)v!).ToValueList()
            : [];

    private static IEnumerable<KeyValuePair<string, JToken>> Entries(JObject owner, string property) =>
        owner[property] is JObject map ? map.Properties().Select(p => new KeyValuePair<string, JToken>(p.Name, p.Value)) : [];

    private Forwarding? ForwardingOf(JObject owner, string property) =>
        Text(owner, property) is { } text ? ModelText.ParseForwarding(text) : null;

    private MailAlerts? BindMail(JObject json, string pointer)
    {
        var serverText = Text(json, "server") ?? string.Empty;
        if (!MailAlerts.TryParseServer(serverText, out var server, out var port))
        {
            Error(JsonPointer.Append(pointer, "server"), $"'{serverText}' is not HOST, HOST:PORT or [IPV6]:PORT");
            return null;
        }

        return new MailAlerts(
            server,
            port,
            Text(json, "from"),
            Strings(json, "to"),
            Text(json, "heloName"),
            Duration(json, "connectTimeout", pointer) ?? MailAlerts.DefaultConnectTimeout,
            Bool(json, "vrrp") ?? false,
            Bool(json, "checkers") ?? false);
    }

    private Node? BindNode(JObject json, string pointer)
    {
        if (Text(json, "name") is not { } name)
        {
            return null;
        }

        return new Node(name, Addresses(json, "addresses", pointer), Strings(json, "interfaces"))
        {
            Network = json["network"] is JObject network ? BindNetwork(network, JsonPointer.Append(pointer, "network")) : NodeNetwork.Empty,
        };
    }

    private TrackedCheck? BindCheck(JObject json, string pointer)
    {
        if (Text(json, "name") is not { } name)
        {
            return null;
        }

        var interval = Duration(json, "interval", pointer) ?? TopologyDefaults.CheckInterval;
        var file = json["file"] is JObject fileJson ? BindTrackedFile(fileJson) : null;
        return new TrackedCheck(
            name,
            Strings(json, "command"),
            interval,
            Duration(json, "timeout", pointer) ?? TopologyDefaults.CheckTimeout(interval),
            Int(json, "rise") ?? TopologyDefaults.CheckRise,
            Int(json, "fall") ?? TopologyDefaults.CheckFall,
            Int(json, "weight") ?? (file is null ? TopologyDefaults.CheckWeight : TopologyDefaults.TrackedFileWeight))
        {
            File = file,
        };
    }

    /// <summary>A check's <c>file</c> (keepalived's <c>track_file</c>): the path, reverse, and <c>init</c>.</summary>
    private TrackedFile? BindTrackedFile(JObject json) =>
        Text(json, "path") is { } path
            ? new TrackedFile(path, Bool(json, "reverse") ?? false,
                json["init"] is JObject init ? new TrackedFileInit(Int(init, "value") ?? 0, Bool(init, "overwrite") ?? false) : null)
            : null;
}
