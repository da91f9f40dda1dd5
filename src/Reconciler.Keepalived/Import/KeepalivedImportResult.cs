using Reconciler.Topology.Diagnostics;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Keepalived.Import;

/// <summary>The imported topology (null when any error was found) and every finding, in source order per file.</summary>
public sealed record KeepalivedImportResult(TopologyModel? Topology, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The node name chosen for each source, in source order, and where it came from.</summary>
    public IReadOnlyList<ImportedNode> Nodes { get; init; } = [];

    /// <summary>What became of each statement of each source (<c>import keepalived --report</c>).</summary>
    public ImportReport Report { get; init; } = new([]);
}

/// <summary>How a source's node was named: <see cref="NodeNameOrigin.Given"/>, from <c>router_id</c>, or from the file name.</summary>
public sealed record ImportedNode(string Name, string File, NodeNameOrigin Origin);

public enum NodeNameOrigin
{
    Given,
    RouterId,
    FileName,
}
