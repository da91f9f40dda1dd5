using System.Text.Json.Serialization;
using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Plans;

/// <summary>What a step does to its object. <see cref="Drain"/> sets a leaving TCP real server's weight to 0;
/// it is deleted by a later plan once its connections are gone or the drain timeout passed.</summary>
public enum StepAction
{
    Create,
    Update,
    Drain,
    Delete,
}

/// <summary>One field of an update: <c>weight: 5 -> 0</c>.</summary>
public sealed record FieldChange(string Field, string Old, string New)
{
    public override string ToString() => $"{Field}: {Old} -> {New}";
}

/// <summary>
/// One step of a plan: exactly one operation on one object. <see cref="IsDrift"/> marks a step that repairs a
/// difference between the kernel and what was last applied (someone changed it by hand).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ServiceStep), "service")]
[JsonDerivedType(typeof(DestinationStep), "realServer")]
[JsonDerivedType(typeof(AddressStep), "address")]
[JsonDerivedType(typeof(SysctlStep), "sysctl")]
[JsonDerivedType(typeof(SyncDaemonStep), "syncDaemon")]
[JsonDerivedType(typeof(RouteStep), "route")]
[JsonDerivedType(typeof(RuleStep), "rule")]
public abstract record PlanStep(StepAction Action, bool IsDrift, string? Reason)
{
    /// <summary>The object, as the plan prints it: <c>service web (TCP 192.168.1.120:80)</c>.</summary>
    [JsonIgnore]
    public abstract string Target { get; }
}

/// <summary>Create, update or delete a virtual service. <see cref="Settings"/> is what the kernel gets (null on delete).</summary>
public sealed record ServiceStep(
    StepAction Action,
    ServiceKey Key,
    string? Name,
    IpvsService? Settings,
    IReadOnlyList<FieldChange> Changes,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => Name is null ? $"service {Key}" : $"service {Name} ({Key})";

    public IpvsOperation ToOperation() => Action switch
    {
        StepAction.Create => new AddService(Settings!),
        StepAction.Update => new UpdateService(Settings!),
        StepAction.Delete => new DeleteService(Key),
        _ => throw new InvalidOperationException($"a service cannot be {Action}ed"),
    };
}

/// <summary>Add, update, drain or delete a real server (destination) of a service.
/// <see cref="Settings"/> is what the kernel gets (for a delete: the last known settings).</summary>
public sealed record DestinationStep(
    StepAction Action,
    ServiceKey Service,
    string? ServiceName,
    IpvsDestination Settings,
    IReadOnlyList<FieldChange> Changes,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"real server {Settings.Endpoint} of {(ServiceName is null ? Service.ToString() : $"{ServiceName} ({Service})")}";

    public IpvsOperation ToOperation() => Action switch
    {
        StepAction.Create => new AddDestination(Service, Settings),
        StepAction.Update or StepAction.Drain => new UpdateDestination(Service, Settings),
        StepAction.Delete => new DeleteDestination(Service, Settings.Address, Settings.Port),
        _ => throw new InvalidOperationException($"unknown action {Action}"),
    };
}

/// <summary>Add or remove a virtual address on an interface.</summary>
public sealed record AddressStep(
    StepAction Action,
    string Interface,
    InterfaceAddress Address,
    string? Instance,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"address {Address} on {Interface}" + (Instance is null ? "" : $" (VRRP {Instance})");
}

/// <summary>Set a kernel parameter (<c>net.ipv4.conf.all.arp_ignore</c>) from <see cref="Old"/> to <see cref="New"/>.</summary>
public sealed record SysctlStep(
    StepAction Action,
    string Name,
    string Old,
    string New,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"sysctl {Name}";
}

/// <summary>Start (<see cref="StepAction.Create"/>), restart with new settings (<see cref="StepAction.Update"/>: the
/// kernel changes no setting of a running daemon, so the executor stops it and starts it again) or stop
/// (<see cref="StepAction.Delete"/>) a connection sync daemon. <see cref="Settings"/> is what the kernel gets (for a
/// stop: what ran).</summary>
public sealed record SyncDaemonStep(
    StepAction Action,
    IpvsSyncDaemon Settings,
    string? Instance,
    IReadOnlyList<FieldChange> Changes,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"connection sync {Settings.State.ToString().ToLowerInvariant()} daemon on {Settings.MulticastInterface} (sync id {Settings.SyncId}{(Instance is null ? "" : $", VRRP {Instance}")})";
}
