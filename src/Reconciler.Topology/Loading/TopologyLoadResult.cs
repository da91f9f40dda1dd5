using Reconciler.Topology.Diagnostics;

namespace Reconciler.Topology.Loading;

/// <summary>
/// The outcome of a load: the topology, or null when any error was found, and every diagnostic (errors and
/// warnings) ordered by file and position.
/// </summary>
public sealed record TopologyLoadResult(Model.Topology? Topology, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Where each element was written, for locating later findings (empty when the input could not be read).</summary>
    public TopologySourceMap SourceMap { get; init; } = TopologySourceMap.Empty;

    public bool IsValid => Topology is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
