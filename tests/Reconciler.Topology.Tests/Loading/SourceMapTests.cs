using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

public sealed class SourceMapTests
{
    [Fact]
    public void Find_DefaultedValue_FallsBackToItsObject()
    {
        var map = LoaderHelpers.Load(Samples.SeedYaml).SourceMap;

        Assert.Null(map.GetValue("/vrrpInstances/0/version"));
        Assert.Equal(new SourceLocation("topology.yaml", 13, 5), map.Find("/vrrpInstances/0/version"));
        Assert.Equal(new SourceLocation("topology.yaml", 16, 28), map.FindKey("/vrrpInstances/0/priorities/lb2"));
        Assert.Equal(new SourceLocation("topology.yaml", 16, 33), map.Find("/vrrpInstances/0/priorities/lb2"));
    }

    [Theory]
    [InlineData("/services/0/realServers/1/weight", "services[0].realServers[1].weight")]
    [InlineData("/vrrpInstances/0/priorities/1", "vrrpInstances[0].priorities.1")]
    [InlineData("/nodes/0/a~1b", "nodes[0].a/b")]
    [InlineData("", "(top level)")]
    public void Display_ReadsLikeCode(string pointer, string expected) => Assert.Equal(expected, JsonPointer.Display(pointer));

    [Fact]
    public void Append_EscapesSlashAndTilde() => Assert.Equal("/a~0b~1c", JsonPointer.Append(string.Empty, "a~b/c"));
}
