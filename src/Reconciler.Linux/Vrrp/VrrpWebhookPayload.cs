using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Linux.Vrrp;

/// <summary>The JSON a notify webhook receives for one transition (web defaults: camelCase names), e.g.
/// <c>{"type":"INSTANCE","instance":"VI_1","node":"lb1","from":"BACKUP","state":"MASTER","reason":"MasterDown","priority":100,"time":"..."}</c>.</summary>
public sealed record VrrpWebhookPayload(string Type, string Instance, string Node, string From, string State, string Reason, int Priority, DateTimeOffset Time);

/// <summary>Source-generated serialization of <see cref="VrrpWebhookPayload"/> with the web defaults
/// <c>PostAsJsonAsync</c> uses.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(VrrpWebhookPayload))]
internal sealed partial class LinuxJsonContext : JsonSerializerContext;
