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

    /// <summary>Findings of <paramref name="code"/> for the sync pair (<see cref="Samples.SyncPairYaml"/>) with each
    /// <c>(old, new)</c> text replaced (each must be there).</summary>
    public static string[] LoadChangedSyncPair(string code, params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.SyncPairYaml, replacements), code);

    public static string Replace(string text, params (string Old, string New)[] replacements)
    {
        foreach (var (old, @new) in replacements)
        {
            Assert.Contains(old, text, StringComparison.Ordinal);
            text = text.Replace(old, @new, StringComparison.Ordinal);
        }

        return text;
    }

    public static string[] LoadFindings(string yaml, string code) =>
        LoaderHelpers.Load(yaml).Diagnostics.Where(d => d.Code == code).Select(d => d.ToString()).ToArray();

    /// <summary>The sync pair changed in code and validated with its source map, as an importer's topology is.</summary>
    public static string[] ValidateChangedSyncPair(Func<Topology.Model.Topology, Topology.Model.Topology> change, string code)
    {
        var loaded = LoaderHelpers.Load(Samples.SyncPairYaml);
        Assert.NotNull(loaded.Topology);
        return TopologyValidator.Validate(change(loaded.Topology), loaded.SourceMap).Where(d => d.Code == code).Select(d => d.ToString()).ToArray();
    }

    /// <summary>Findings of <paramref name="code"/> for <see cref="Samples.WithCheck"/>(<paramref name="check"/>)
    /// with its check changed in code and validated with its source map, as an importer's topology is.</summary>
    public static string[] ValidateChangedCheck(string check, Func<HealthCheck, HealthCheck> change, string code) =>
        ValidateChanged(Samples.WithCheck(check), t => t.WithService(s => s with { HealthCheck = change(s.HealthCheck!) }), code);

    private static string[] ValidateChanged(string yaml, Func<Topology.Model.Topology, Topology.Model.Topology> change, string code)
    {
        var loaded = LoaderHelpers.Load(yaml);
        Assert.NotNull(loaded.Topology);
        return TopologyValidator.Validate(change(loaded.Topology), loaded.SourceMap).Where(d => d.Code == code).Select(d => d.ToString()).ToArray();
    }

    public static Topology.Model.Topology WithSyncGroup(this Topology.Model.Topology topology, Func<VrrpSyncGroup, VrrpSyncGroup> change) =>
        topology with { SyncGroups = [change(topology.SyncGroups[0])] };

    public static Topology.Model.Topology WithInstance(this Topology.Model.Topology topology, Func<VrrpInstance, VrrpInstance> change) =>
        topology with { VrrpInstances = [change(topology.VrrpInstances[0])] };

    public static Topology.Model.Topology WithService(this Topology.Model.Topology topology, Func<VirtualService, VirtualService> change) =>
        topology with { Services = [change(topology.Services[0])] };
}
