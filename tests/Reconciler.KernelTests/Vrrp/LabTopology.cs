using Reconciler.Topology.Loading;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>Topologies written inline by VRRP tests, loaded (and validated) as the agent loads them.</summary>
public static class LabTopology
{
    /// <summary>Loads YAML text; throws with every diagnostic when it has errors.</summary>
    public static TopologyModel Load(string yaml)
    {
        var result = TopologyLoader.LoadDocuments([new TopologyDocument("test.yaml", yaml)]);
        return result.IsValid
            ? result.Topology!
            : throw new InvalidOperationException("test topology is invalid:\n" + string.Join('\n', result.Diagnostics));
    }

}
