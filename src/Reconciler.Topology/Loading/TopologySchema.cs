using NJsonSchema;

namespace Reconciler.Topology.Loading;

/// <summary>The JSON schema of topology files (embedded from <c>schemas/topology.schema.json</c>).</summary>
public static class TopologySchema
{
    private static readonly Lazy<string> JsonText = new(ReadResource);
    private static readonly Lazy<JsonSchema> Parsed = new(() => SchemaObjectReader.Read(JsonText.Value));
    private static readonly Lazy<TopologySchemaValidator> ParsedValidator = new(() => new TopologySchemaValidator(Parsed.Value));

    /// <summary>The schema text, for <c>reconciler schema</c> and editors.</summary>
    public static string Json => JsonText.Value;

    internal static JsonSchema Schema => Parsed.Value;

    /// <summary>NJsonSchema's validator for <see cref="Schema"/>, with its fast path for valid subtrees.</summary>
    internal static TopologySchemaValidator Validator => ParsedValidator.Value;

    private static string ReadResource()
    {
        using var stream = typeof(TopologySchema).Assembly.GetManifestResourceStream("topology.schema.json")
            ?? throw new InvalidOperationException("the topology schema is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
