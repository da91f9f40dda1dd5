using Reconciler.Planning.Plans;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.GitSource.Diff;

public enum DiffAction
{
    Added,
    Changed,
    Removed,
}

/// <summary>
/// One object that differs: <see cref="Kind"/> is <c>node</c>, <c>check</c>, <c>vrrpInstance</c>, <c>vrrpSyncGroup</c>, <c>service</c>,
/// <c>realServer</c> in the topology, or <c>ipvsService</c>, <c>destination</c>, <c>vrrp</c> in a node's desired
/// state. <see cref="Changes"/> lists changed fields (<c>weight: 5 -> 10</c>) for a change, the main settings for an
/// addition; <see cref="Children"/> holds a service's real servers.
/// </summary>
public sealed record DiffEntry(
    string Kind,
    string Name,
    string? Detail,
    DiffAction Action,
    IReadOnlyList<FieldChange> Changes,
    IReadOnlyList<DiffEntry> Children)
{
    /// <summary>This entry and its children, counted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Count => 1 + Children.Sum(c => c.Count);
}

/// <summary>A virtual address that left one VRRP instance for another.</summary>
public sealed record VipMove(string Address, string From, string To);

/// <summary>How one node's desired state (IPVS services and destinations, VRRP participation) differs.</summary>
public sealed record NodeDiff(string Node, IReadOnlyList<DiffEntry> Changes)
{
    public bool HasChanges => Changes.Count > 0;
}

/// <summary>
/// The semantic difference between the topologies at two revisions, plus the findings on the new one. When the
/// new revision does not load, <see cref="Entries"/> and <see cref="Nodes"/> are empty and
/// <see cref="NewIsValid"/> is false. A missing or invalid old revision compares as an empty topology.
/// </summary>
public sealed record TopologyDiff(
    string OldRevision,
    string NewRevision,
    bool OldIsValid,
    bool NewIsValid,
    IReadOnlyList<Diagnostic> NewDiagnostics,
    IReadOnlyList<DiffEntry> Entries,
    IReadOnlyList<VipMove> VipMoves,
    IReadOnlyList<NodeDiff> Nodes)
{
    public bool HasChanges => Entries.Count > 0 || Nodes.Any(n => n.HasChanges);

    public int Added => Flatten(Entries).Count(e => e.Action == DiffAction.Added);

    public int Changed => Flatten(Entries).Count(e => e.Action == DiffAction.Changed);

    public int Removed => Flatten(Entries).Count(e => e.Action == DiffAction.Removed);

    private static IEnumerable<DiffEntry> Flatten(IEnumerable<DiffEntry> entries) =>
        entries.SelectMany(e => e.Action == DiffAction.Changed && e.Changes.Count == 0 ? Flatten(e.Children) : [e, .. Flatten(e.Children)]);

    /// <summary>The new topology's state for a caller that wants it (not serialised).</summary>
    internal TopologyModel? NewTopology { get; init; }

    /// <summary>The old topology (empty when the old revision had none that loads), for <see cref="DiffRisks"/>
    /// (not serialised).</summary>
    internal TopologyModel? OldTopology { get; init; }
}

/// <summary><c>--detailed-exitcode</c>: 0 no difference, 2 a difference, 1 an error (including an invalid new revision).</summary>
public static class DiffExitCode
{
    public const int NoDiff = 0;
    public const int Error = 1;
    public const int Diff = 2;

    public static int Of(TopologyDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return !diff.NewIsValid ? Error : diff.HasChanges ? Diff : NoDiff;
    }
}
