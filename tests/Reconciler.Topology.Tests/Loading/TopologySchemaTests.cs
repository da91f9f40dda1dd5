using Newtonsoft.Json.Linq;
using Reconciler.Topology.Loading;

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
