using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>The top-level <c>mail</c> block and the notify blocks' <c>mail</c>: shape, binding, rules, merge across
/// files, and the writer's canonical form.</summary>
public sealed class MailLoadingTests
{
    private const string MailYaml = """
        mail:
          server: "[2001:db8::25]:2525"
          from: lb@example.test
          to: [ops@example.test, oncall@example.test]
          heloName: lb.example.test
          connectTimeout: 10s
          vrrp: true

        """;

    [Fact]
    public void LoadDocuments_MailBlock_BindsEveryField()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml + MailYaml);

        Assert.True(result.IsValid, string.Join("\n", result.Lines()));
        Assert.DoesNotContain(result.Lines(), line => line.Contains("mail", StringComparison.Ordinal));
        Assert.Equal(
            new MailAlerts("2001:db8::25", 2525, "lb@example.test", ["ops@example.test", "oncall@example.test"], "lb.example.test", TimeSpan.FromSeconds(10), true, false),
            result.Topology!.Mail);
    }

    [Fact]
    public void Write_MailBlock_GivesTheSameText()
    {
        var topology = LoaderHelpers.Load(Samples.SeedYaml + MailYaml).Topology!;

        Assert.Equal(topology, LoaderHelpers.Load(TopologyYamlWriter.Write(topology)).Topology);
        Assert.EndsWith(MailYaml.Replace("\n\n", "\n", StringComparison.Ordinal), TopologyYamlWriter.Write(topology), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDocuments_ServerWithoutPort_TakesPort25()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml + "mail: {server: relay.example.test, to: [ops@example.test]}\n");

        Assert.Equal(("relay.example.test", 25), (result.Topology!.Mail!.Server, result.Topology.Mail.Port));
    }

    [Fact]
    public void LoadDocuments_BadServer_IsLocated() => Assert.Equal(
        ["topology.yaml:41:16: error: mail.server: 'relay:99999' is not HOST, HOST:PORT or [IPV6]:PORT"],
        LoaderHelpers.Load(Samples.SeedYaml + "mail: {server: 'relay:99999', to: [ops@example.test]}\n").Lines());

    [Fact]
    public void LoadDocuments_MailInTwoFiles_IsAnErrorAtTheSecond()
    {
        var result = LoaderHelpers.Load(
            new TopologyDocument("a.yaml", Samples.SeedYaml + MailYaml),
            new TopologyDocument("b.yaml", "mail: {server: other, to: [x@y.z]}\n"));

        Assert.Contains("b.yaml:1:1: error: mail: given in more than one file; write it once", result.Lines());
    }
}
