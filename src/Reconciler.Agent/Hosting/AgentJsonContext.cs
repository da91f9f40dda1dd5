using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Agent.Status;

namespace Reconciler.Agent.Hosting;

/// <summary>Source-generated serialization of the endpoint's own answers (<c>/status</c>, <c>POST /reconcile</c>):
/// web defaults (camelCase), indented, nulls written, enums as their names.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(ReconcileQueued))]
[JsonSerializable(typeof(Engine.HandoverResult))]
public sealed partial class AgentJsonContext : JsonSerializerContext;

/// <summary>The answer to an accepted <c>POST /reconcile</c>: <c>{"queued": true}</c>.</summary>
public sealed record ReconcileQueued(bool Queued)
{
    public static ReconcileQueued Yes { get; } = new(true);
}
