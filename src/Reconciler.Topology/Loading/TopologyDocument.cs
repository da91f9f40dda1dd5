namespace Reconciler.Topology.Loading;

/// <summary>One topology file's text; <paramref name="Name"/> is how diagnostics name it (a path in the repository).</summary>
public sealed record TopologyDocument(string Name, string Text);
