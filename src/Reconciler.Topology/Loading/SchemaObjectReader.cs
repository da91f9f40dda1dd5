using System.Text.Json;
using NJsonSchema;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Builds NJsonSchema's object model straight from a schema's JSON text, for the keywords the topology schema uses.
/// <see cref="JsonSchema.FromJsonAsync(string, CancellationToken)"/> gets there through Newtonsoft's reflection-driven
/// deserializer, which was three quarters of a native <c>reconciler validate</c> (its contract resolution walks the
/// metadata of every NJsonSchema type). What this builds is the same graph: a test compares both serialized, and a
/// keyword it does not know is an error rather than a constraint silently dropped.
/// </summary>
internal static class SchemaObjectReader
{
    private const string DefinitionPrefix = "#/definitions/";

    public static JsonSchema Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var schema = new JsonSchema();
        var definitions = new Dictionary<string, (JsonSchema Schema, JsonElement Element)>(StringComparer.Ordinal);
        if (root.TryGetProperty("definitions", out var definitionsElement))
        {
            // Created first, filled after: a definition may refer to one defined later, or to itself.
            foreach (var definition in definitionsElement.EnumerateObject())
            {
                var definitionSchema = new JsonSchema();
                schema.Definitions[definition.Name] = definitionSchema;
                definitions[definition.Name] = (definitionSchema, definition.Value);
            }
        }

        foreach (var (definitionSchema, element) in definitions.Values)
        {
            Fill(definitionSchema, element, definitions, "#/definitions");
        }

        Fill(schema, root, definitions, "#");
        return schema;
    }

    private static void Fill(JsonSchema schema, JsonElement element, Dictionary<string, (JsonSchema Schema, JsonElement Element)> definitions, string pointer)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Unsupported(pointer, "a schema that is not an object");
        }

        foreach (var keyword in element.EnumerateObject())
        {
            var at = $"{pointer}/{keyword.Name}";
            try
            {
                FillKeyword(schema, keyword.Name, keyword.Value, definitions, pointer, at);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                // A keyword with a value of another kind than its one form here (e.g. "type": [...]).
                throw Unsupported(at, $"this value of '{keyword.Name}' ({e.Message})");
            }
        }
    }

    private static void FillKeyword(
        JsonSchema schema, string keyword, JsonElement value, Dictionary<string, (JsonSchema Schema, JsonElement Element)> definitions, string pointer, string at)
    {
        switch (keyword)
        {
            case "$schema":
                schema.SchemaVersion = value.GetString();
                break;
            case "title":
                schema.Title = value.GetString();
                break;
            case "description":
                schema.Description = value.GetString();
                break;
            case "definitions" when pointer == "#":
                break; // read by Read, before anything can refer to them
            case "type":
                schema.Type = TypeOf(value, at);
                break;
            case "$ref":
                var reference = value.GetString() ?? string.Empty;
                if (!reference.StartsWith(DefinitionPrefix, StringComparison.Ordinal)
                    || !definitions.TryGetValue(reference[DefinitionPrefix.Length..], out var target))
                {
                    throw Unsupported(at, $"the reference '{reference}'");
                }

                schema.Reference = target.Schema;
                break;
            case "properties":
                foreach (var property in value.EnumerateObject())
                {
                    var propertySchema = new JsonSchemaProperty();
                    Fill(propertySchema, property.Value, definitions, $"{at}/{property.Name}");
                    schema.Properties[property.Name] = propertySchema;
                }

                break;
            case "required":
                foreach (var name in value.EnumerateArray())
                {
                    schema.RequiredProperties.Add(name.GetString() ?? throw Unsupported(at, "a required name that is not a string"));
                }

                break;
            case "additionalProperties" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                schema.AllowAdditionalProperties = value.GetBoolean();
                break;
            case "additionalProperties":
                var additional = new JsonSchema();
                Fill(additional, value, definitions, at);
                schema.AdditionalPropertiesSchema = additional;
                break;
            case "items":
                var item = new JsonSchema();
                Fill(item, value, definitions, at);
                schema.Item = item;
                break;
            case "enum":
                foreach (var member in value.EnumerateArray())
                {
                    schema.Enumeration.Add(member.ValueKind switch
                    {
                        JsonValueKind.String => member.GetString(),
                        JsonValueKind.Number when member.TryGetInt64(out var integer) => integer, // as Newtonsoft reads it
                        _ => throw Unsupported(at, $"an enumeration member of kind {member.ValueKind}"),
                    });
                }

                break;
            case "pattern":
                schema.Pattern = value.GetString();
                break;
            case "minimum":
                schema.Minimum = value.GetDecimal();
                break;
            case "maximum":
                schema.Maximum = value.GetDecimal();
                break;
            case "minLength":
                schema.MinLength = value.GetInt32();
                break;
            case "maxLength":
                schema.MaxLength = value.GetInt32();
                break;
            case "minItems":
                schema.MinItems = value.GetInt32();
                break;
            case "minProperties":
                schema.MinProperties = value.GetInt32();
                break;
            case "uniqueItems":
                schema.UniqueItems = value.GetBoolean();
                break;
            default:
                throw Unsupported(at, $"the keyword '{keyword}'");
        }
    }

    private static JsonObjectType TypeOf(JsonElement value, string pointer) => value.GetString() switch
    {
        "object" => JsonObjectType.Object,
        "array" => JsonObjectType.Array,
        "string" => JsonObjectType.String,
        "integer" => JsonObjectType.Integer,
        "number" => JsonObjectType.Number,
        "boolean" => JsonObjectType.Boolean,
        "null" => JsonObjectType.Null,
        var other => throw Unsupported(pointer, $"the type '{other}'"),
    };

    private static NotSupportedException Unsupported(string pointer, string what) =>
        new($"{pointer}: the topology schema reader does not handle {what}; teach SchemaObjectReader the keyword (and its test the case)");
}
