using Reconciler.Topology.Diagnostics;

namespace Reconciler.GitSource.Diff;

/// <summary>The JSON form of a <see cref="TopologyDiff"/> (<c>diff --json</c>), in this property order.</summary>
internal sealed record TopologyDiffDocument(
    string OldRevision,
    string NewRevision,
    bool OldIsValid,
    bool NewIsValid,
    bool HasChanges,
    int ExitCode,
    TopologyDiffSummary Summary,
    IReadOnlyList<TopologyDiffDiagnostic> Diagnostics,
    IReadOnlyList<DiffEntry> Entries,
    IReadOnlyList<VipMove> VipMoves,
    IReadOnlyList<NodeDiff> Nodes)
{
    public static TopologyDiffDocument Of(TopologyDiff diff) => new(
        diff.OldRevision,
        diff.NewRevision,
        diff.OldIsValid,
        diff.NewIsValid,
        diff.HasChanges,
        DiffExitCode.Of(diff),
        new TopologyDiffSummary(diff.Added, diff.Changed, diff.Removed),
        [.. diff.NewDiagnostics.Select(TopologyDiffDiagnostic.Of)],
        diff.Entries,
        diff.VipMoves,
        diff.Nodes);
}

/// <summary>How many topology objects a diff adds, changes and removes.</summary>
internal sealed record TopologyDiffSummary(int Added, int Changed, int Removed);

/// <summary>A finding on the new revision, its location flattened into file, line and column.</summary>
internal sealed record TopologyDiffDiagnostic(string Severity, string Code, string Message, string? File, int? Line, int? Column, string? Path)
{
    public static TopologyDiffDiagnostic Of(Diagnostic diagnostic) => new(
        diagnostic.Severity == Topology.Diagnostics.Severity.Error ? "error" : "warning",
        diagnostic.Code,
        diagnostic.Message,
        diagnostic.Location?.File,
        diagnostic.Location?.Line,
        diagnostic.Location?.Column,
        diagnostic.Path);
}
