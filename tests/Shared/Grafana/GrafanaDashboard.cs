using System.Text.Json;

namespace Reconciler.Tests.Shared.Grafana;

/// <summary>The PromQL of a Grafana dashboard (examples/grafana): what the host test checks against the agent's metric
/// names and the kernel test runs on a real Prometheus.</summary>
internal static class GrafanaDashboard
{
    /// <summary>Every <c>expr</c> of the dashboard (panel targets, at any depth), in document order; with
    /// <paramref name="variables"/>, each query variable's query after them.</summary>
    public static List<string> Queries(string json, bool variables)
    {
        using var document = JsonDocument.Parse(json);
        var queries = new List<string>();
        Walk(document.RootElement, queries);
        if (variables && document.RootElement.TryGetProperty("templating", out var templating))
        {
            foreach (var variable in templating.GetProperty("list").EnumerateArray())
            {
                if (variable.GetProperty("type").GetString() == "query")
                {
                    var query = variable.GetProperty("query");
                    queries.Add(query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!);
                }
            }
        }

        return queries;
    }

    private static void Walk(JsonElement element, List<string> queries)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "expr")
                {
                    queries.Add(property.Value.GetString()!);
                }
                else
                {
                    Walk(property.Value, queries);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, queries);
            }
        }
    }
}
