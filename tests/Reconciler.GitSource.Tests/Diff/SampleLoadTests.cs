using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Tests.Diff;

public sealed class SampleLoadTests
{
    [Fact]
    public void Samples_Load_AsExpected()
    {
        var seed = TopologyLoader.LoadDocuments([new TopologyDocument("topology/seed.yaml", Samples.Seed)]);
        Assert.True(seed.IsValid, string.Join("\n", seed.Diagnostics));
        var plain = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", Samples.Plain("a", "b"))]);
        Assert.True(plain.IsValid, string.Join("\n", plain.Diagnostics));
        var empty = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", Samples.Empty)]);
        Assert.True(empty.IsValid, string.Join("\n", empty.Diagnostics));
        var invalid = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", Samples.Invalid)]);
        Assert.False(invalid.IsValid);
        Assert.All(invalid.Errors, e => Assert.NotNull(e.Location));
    }
}
