using System.Text.Json.Serialization;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Serialization;

/// <summary>
/// Source-generated serialization of plans, saved plans, ownership records and overlay snapshots in the form
/// <see cref="PlanningJson"/> documents. Every enum in these types needs its converter listed here: without one it
/// would be written as a number (a test walks the types and checks).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    Converters =
    [
        typeof(KebabCaseEnumConverter<StepAction>),
        typeof(KebabCaseEnumConverter<IpvsServiceFlags>),
        typeof(KebabCaseEnumConverter<IpvsForwarding>),
        typeof(KebabCaseEnumConverter<IpvsTunnelType>),
        typeof(KebabCaseEnumConverter<IpvsTunnelFlags>),
        typeof(KebabCaseEnumConverter<VrrpRole>),
        typeof(KebabCaseEnumConverter<IpvsSyncDaemonState>),
        typeof(KebabCaseEnumConverter<Topology.Model.RouteType>),
        typeof(KebabCaseEnumConverter<Topology.Model.RouteScope>),
        typeof(KebabCaseEnumConverter<Topology.Model.RuleAction>),
        typeof(KebabCaseEnumConverter<System.Net.Sockets.AddressFamily>),
        typeof(PlanningJson.IPAddressConverter),
        typeof(PlanningJson.InterfaceAddressConverter),
        typeof(PlanningJson.ServiceKeyConverter),
    ])]
[JsonSerializable(typeof(Plan))]
[JsonSerializable(typeof(SavedPlan))]
[JsonSerializable(typeof(OwnershipRecord))]
[JsonSerializable(typeof(OverlaySnapshot))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class PlanningJsonContext : JsonSerializerContext;
