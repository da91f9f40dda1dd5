using NJsonSchema;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

public sealed class SchemaObjectReaderTests
{
    [Fact]
    public async Task Read_TheTopologySchema_BuildsWhatNJsonSchemaParses()
    {
        var parsed = await JsonSchema.FromJsonAsync(TopologySchema.Json, TestContext.Current.CancellationToken);

        var built = SchemaObjectReader.Read(TopologySchema.Json);

        Assert.Equal(parsed.ToJson(), built.ToJson());
    }

    [Fact]
    public void Read_References_PointAtTheOneDefinitionObject()
    {
        var schema = SchemaObjectReader.Read("""
            {
              "type": "object",
              "properties": { "a": { "$ref": "#/definitions/port", "description": "first" }, "b": { "$ref": "#/definitions/port" } },
              "definitions": { "port": { "type": "integer", "minimum": 0, "maximum": 65535 } }
            }
            """);

        var port = schema.Definitions["port"];
        Assert.Same(port, schema.Properties["a"].ActualSchema);
        Assert.Same(port, schema.Properties["b"].ActualSchema);
        Assert.Equal("first", schema.Properties["a"].Description);
        Assert.Equal(65535m, port.Maximum);
    }

    [Fact]
    public void Read_RequiredAndClosedObjects_ValidateAsDeclared()
    {
        var schema = SchemaObjectReader.Read("""
            { "type": "object", "additionalProperties": false, "required": ["name"],
              "properties": { "name": { "type": "string", "minLength": 1 }, "version": { "type": "integer", "enum": [2, 3] } } }
            """);

        var errors = schema.Validate("""{ "version": 4, "extra": true }""").Select(e => $"{e.Kind} {e.Path}").Order(StringComparer.Ordinal);

        Assert.Equal(["NoAdditionalPropertiesAllowed #/extra", "NotInEnumeration #/version", "PropertyRequired #/name"], errors);
    }

    [Theory]
    [InlineData("""{ "type": "object", "oneOf": [] }""", "#/oneOf", "'oneOf'")]
    [InlineData("""{ "properties": { "a": { "format": "ipv4" } } }""", "#/properties/a/format", "'format'")]
    [InlineData("""{ "items": { "$ref": "other.json#/x" } }""", "#/items/$ref", "'other.json#/x'")]
    [InlineData("""{ "type": ["string", "null"] }""", "#/type", "type")]
    public void Read_AKeywordItDoesNotHandle_Throws(string json, string pointer, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => SchemaObjectReader.Read(json));

        Assert.Contains(pointer, error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
