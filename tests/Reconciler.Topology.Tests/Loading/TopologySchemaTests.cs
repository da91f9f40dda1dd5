using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;
using Reconciler.Topology.Validation.Rules;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Loading;

public sealed class TopologySchemaTests
{
    [Fact]
    public void Json_IsTheEmbeddedSchema()
    {
        var schema = JObject.Parse(TopologySchema.Json);

        Assert.Equal("Reconciler topology", (string?)schema["title"]);
        Assert.Equal(TopologyLoader.Sections, ((JObject)schema["properties"]!).Properties().Select(p => p.Name));
    }

    [Fact]
    public void Json_MatchesTheFileInTheRepository()
    {
        var file = Path.Combine(FindRepositoryRoot(), "schemas", "topology.schema.json");

        Assert.Equal(File.ReadAllText(file), TopologySchema.Json);
    }

    [Fact]
    public void HealthCheckTypes_AreTheModelsKinds() => Assert.Equal(
        Enum.GetValues<HealthCheckKind>().Select(ModelText.Of),
        HealthCheckProperty("type")["enum"]!.Select(t => (string)t!));

    [Fact]
    public void DnsTypePattern_TakesTheTypesTheValidatorTakes()
    {
        var pattern = new Regex((string)HealthCheckProperty("dns")["properties"]!["type"]!["pattern"]!, RegexOptions.None, TimeSpan.FromSeconds(1));

        foreach (var (name, _) in DnsQuery.Types)
        {
            Assert.Matches(pattern, name);
            Assert.Matches(pattern, name.ToLowerInvariant());
            Assert.Matches(pattern, char.ToLowerInvariant(name[0]) + name[1..]);
        }

        Assert.All(["SRV", "ANY", "A ", "AA", string.Empty], other => Assert.DoesNotMatch(pattern, other));
    }

    [Theory]
    [InlineData("minReplyLength")]
    [InlineData("maxReplyLength")]
    public void UdpReplyLengths_EndWhereTheValidatorEnds(string property) =>
        Assert.Equal(UdpCheckRule.MaxDatagram, (int)HealthCheckProperty("udp")["properties"]![property]!["maximum"]!);

    private static JToken HealthCheckProperty(string name) =>
        JObject.Parse(TopologySchema.Json)["definitions"]!["healthCheck"]!["properties"]![name]!;

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "schemas", "topology.schema.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
