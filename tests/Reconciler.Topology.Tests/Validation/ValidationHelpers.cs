using Reconciler.Topology.Model;
using Reconciler.Topology.Tests.Loading;
using Reconciler.Topology.Validation;

namespace Reconciler.Topology.Tests.Validation;

/// <summary>
/// For rules the schema already enforces on files (ranges, enums): change the loaded seed in code, then
/// validate it with the seed's source map, as the validator sees an importer's topology.
/// </summary>
internal static class ValidationHelpers
{
    public static string[] ValidateChangedSeed(Func<Topology.Model.Topology, Topology.Model.Topology> change, string code)
    {
        var loaded = LoaderHelpers.Load(Samples.SeedYaml);
        Assert.NotNull(loaded.Topology);
        var changed = change(loaded.Topology);
        return TopologyValidator.Validate(changed, loaded.SourceMap).Where(d => d.Code == code).Select(d => d.ToString()).ToArray();
    }

    public static Topology.Model.Topology WithInstance(this Topology.Model.Topology topology, Func<VrrpInstance, VrrpInstance> change) =>
        topology with { VrrpInstances = [change(topology.VrrpInstances[0])] };

    public static Topology.Model.Topology WithService(this Topology.Model.Topology topology, Func<VirtualService, VirtualService> change) =>
        topology with { Services = [change(topology.Services[0])] };
}
