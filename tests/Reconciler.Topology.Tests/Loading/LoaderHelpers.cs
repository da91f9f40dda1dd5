using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

internal static class LoaderHelpers
{
    public static TopologyLoadResult Load(string yaml, string name = "topology.yaml") =>
        TopologyLoader.LoadDocuments([new TopologyDocument(name, yaml)]);

    public static TopologyLoadResult Load(params TopologyDocument[] documents) => TopologyLoader.LoadDocuments(documents);

    /// <summary>The diagnostics as compiler-style lines, for exact assertions.</summary>
    public static string[] Lines(this TopologyLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();

    public static Diagnostic Single(this TopologyLoadResult result, string code) => Assert.Single(result.Diagnostics, d => d.Code == code);
}
