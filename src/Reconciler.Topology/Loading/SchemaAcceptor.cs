using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Answers one question fast: would NJsonSchema's validator find nothing wrong with this token against this schema?
/// It never reports an error itself. It says yes only when every constraint NJsonSchema would check holds, evaluated
/// the way <see cref="NJsonSchema.Validation.JsonSchemaValidator"/> 11.6 evaluates it; anything it does not model
/// (anyOf, allOf, oneOf, not, format, tuple items, pattern properties, a string token that is a date, guid, URI or
/// time span, a number it cannot convert) makes it say no, and the caller then lets NJsonSchema validate. So a wrong
/// "no" only costs time, and a test compares both validators over a mutated corpus to keep "yes" exact.
/// </summary>
/// <remarks>
/// Each schema of the graph is compiled once into a <see cref="Node"/> (the constraints flattened, patterns as
/// <see cref="Regex"/> objects, properties in a dictionary); a token is then checked in one walk that allocates
/// nothing, where NJsonSchema builds a type dictionary, error lists and path strings at every node.
/// </remarks>
internal sealed class SchemaAcceptor
{
    private static readonly JsonObjectType[] Kinds =
    [
        JsonObjectType.Array, JsonObjectType.Boolean, JsonObjectType.Integer, JsonObjectType.Null,
        JsonObjectType.Number, JsonObjectType.Object, JsonObjectType.String,
    ];

    private readonly Dictionary<JsonSchema, Node> _nodes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Compiles every schema reachable from <paramref name="root"/> (through references, properties,
    /// items and additional properties), as NJsonSchema's validator reaches them.</summary>
    public SchemaAcceptor(JsonSchema root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Compile(root.ActualSchema);
    }

    /// <summary>True when NJsonSchema's validator, given this token and this (actual) schema, would return no
    /// errors; false when it would, or when this cannot tell.</summary>
    public bool Accepts(JToken token, JsonSchema schema) =>
        _nodes.TryGetValue(schema, out var node) && Accepts(token, node);

    private Node Compile(JsonSchema schema)
    {
        if (_nodes.TryGetValue(schema, out var known))
        {
            return known;
        }

        var node = new Node();
        _nodes.Add(schema, node); // before its children: a schema may contain itself
        node.Fill(schema, this);
        return node;
    }

    private static bool Accepts(JToken token, Node node)
    {
        if (node.Unsupported)
        {
            return false;
        }

        var isNull = token.Type == JTokenType.Null;
        if (!(isNull && node.Nullable) && !(AcceptsValue(token, node) && AcceptsKind(token, node)))
        {
            return false;
        }

        if (node.Enumeration is { } members && !(isNull && node.Nullable) && Array.IndexOf(members, token.ToString()) < 0)
        {
            return false;
        }

        return AcceptsProperties(token, node);
    }

    /// <summary>The type keyword: with one type the token must be of it, with several of one of them (NJsonSchema
    /// then reports the value's own errors under every type, so they decide alone).</summary>
    private static bool AcceptsKind(JToken token, Node node)
    {
        if (node.Types.Length == 0)
        {
            return true;
        }

        foreach (var kind in node.Types)
        {
            var matches = kind switch
            {
                JsonObjectType.Array => token is JArray,
                JsonObjectType.Boolean => token.Type == JTokenType.Boolean,
                JsonObjectType.Integer => token.Type == JTokenType.Integer,
                JsonObjectType.Null => token.Type == JTokenType.Null,
                JsonObjectType.Number => token.Type is JTokenType.Integer or JTokenType.Float,
                JsonObjectType.Object => token is JObject,
                _ => token.Type is JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan,
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The constraints NJsonSchema checks by what the token is, whatever the type keyword says.</summary>
    private static bool AcceptsValue(JToken token, Node node)
    {
        switch (token.Type)
        {
            case JTokenType.Array:
                return AcceptsItems((JArray)token, node);
            case JTokenType.String:
                return token.Value<string>() is not { } text || AcceptsText(text, node);
            case JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan:
                return !node.HasTextConstraints; // NJsonSchema formats these first; not modelled here
            case JTokenType.Integer or JTokenType.Float:
                return !node.HasNumberConstraints || AcceptsNumber(token, node);
            default:
                return true;
        }
    }

    private static bool AcceptsItems(JArray array, Node node)
    {
        if ((node.MinItems > 0 && array.Count < node.MinItems) || (node.MaxItems > 0 && array.Count > node.MaxItems))
        {
            return false;
        }

        if (node.UniqueItems && array.Count != array.Select(item => item.ToString()).Distinct().Count())
        {
            return false;
        }

        if (node.Item is { } item)
        {
            foreach (var element in array)
            {
                if (!Accepts(element, item))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool AcceptsText(string text, Node node) =>
        (node.Pattern is null || node.Pattern.IsMatch(text))
        && !(node.MinLength is { } min && text.Length < min)
        && !(node.MaxLength is { } max && text.Length > max);

    private static bool AcceptsNumber(JToken token, Node node)
    {
        decimal value;
        try
        {
            value = token.Value<decimal>();
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException)
        {
            return false; // NJsonSchema falls back to double here, or throws: let it
        }

        return !(node.Minimum is { } minimum && (node.IsExclusiveMinimum ? value <= minimum : value < minimum))
            && !(node.Maximum is { } maximum && (node.IsExclusiveMaximum ? value >= maximum : value > maximum))
            && !(node.ExclusiveMinimum is { } exclusiveMinimum && value <= exclusiveMinimum)
            && !(node.ExclusiveMaximum is { } exclusiveMaximum && value >= exclusiveMaximum)
            && !(node.MultipleOf is { } multipleOf && value % multipleOf != 0);
    }

    private static bool AcceptsProperties(JToken token, Node node)
    {
        if (token is not JObject mapping)
        {
            // NJsonSchema reports the required properties of a mapping that is not one, unless the type allows null.
            return node.TypeAllowsNull || node.Required.Length == 0;
        }

        if ((node.MinProperties > 0 && mapping.Count < node.MinProperties) || (node.MaxProperties > 0 && mapping.Count > node.MaxProperties))
        {
            return false;
        }

        foreach (var property in mapping.Properties())
        {
            var value = property.Value;
            if (node.Properties.TryGetValue(property.Name, out var declared))
            {
                if (!(value.Type == JTokenType.Null && declared.Nullable) && !Accepts(value, declared.Schema))
                {
                    return false;
                }
            }
            else if (node.AdditionalProperties is { } additional)
            {
                if (!Accepts(value, additional))
                {
                    return false;
                }
            }
            else if (!node.AllowAdditionalProperties)
            {
                return false;
            }
        }

        foreach (var name in node.Required)
        {
            if (!mapping.ContainsKey(name))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Declared(Node Schema, bool Nullable);

    /// <summary>One schema's constraints, as NJsonSchema's validator reads them.</summary>
    private sealed class Node
    {
        public bool Unsupported { get; private set; }

        public bool Nullable { get; private set; }

        public bool TypeAllowsNull { get; private set; }

        public JsonObjectType[] Types { get; private set; } = [];

        public string?[]? Enumeration { get; private set; }

        public Regex? Pattern { get; private set; }

        public int? MinLength { get; private set; }

        public int? MaxLength { get; private set; }

        public bool HasTextConstraints => Pattern is not null || MinLength is not null || MaxLength is not null;

        public decimal? Minimum { get; private set; }

        public decimal? Maximum { get; private set; }

        public bool IsExclusiveMinimum { get; private set; }

        public bool IsExclusiveMaximum { get; private set; }

        public decimal? ExclusiveMinimum { get; private set; }

        public decimal? ExclusiveMaximum { get; private set; }

        public decimal? MultipleOf { get; private set; }

        public bool HasNumberConstraints { get; private set; }

        public int MinItems { get; private set; }

        public int MaxItems { get; private set; }

        public bool UniqueItems { get; private set; }

        public Node? Item { get; private set; }

        public Dictionary<string, Declared> Properties { get; } = new(StringComparer.Ordinal);

        /// <summary>The properties NJsonSchema requires: those declared as required and those only listed.</summary>
        public string[] Required { get; private set; } = [];

        public int MinProperties { get; private set; }

        public int MaxProperties { get; private set; }

        public Node? AdditionalProperties { get; private set; }

        public bool AllowAdditionalProperties { get; private set; }

        public void Fill(JsonSchema schema, SchemaAcceptor acceptor)
        {
            Unsupported = schema.AnyOf.Count > 0 || schema.AllOf.Count > 0 || schema.OneOf.Count > 0 || schema.Not is not null
                || !string.IsNullOrEmpty(schema.Format) || schema.Items.Count > 0 || schema.PatternProperties.Count > 0
                || (schema.Type & ~Kinds.Aggregate(JsonObjectType.None, (all, kind) => all | kind)) != 0;
            if (Unsupported)
            {
                return;
            }

            Nullable = schema.IsNullable(SchemaType.JsonSchema);
            TypeAllowsNull = schema.Type.HasFlag(JsonObjectType.Null);
            Types = Kinds.Where(kind => schema.Type.HasFlag(kind)).ToArray();
            Enumeration = schema.Enumeration.Count > 0 ? schema.Enumeration.Select(member => member?.ToString()).ToArray() : null;
            Pattern = string.IsNullOrEmpty(schema.Pattern) ? null : new Regex(schema.Pattern); // as Regex.IsMatch(text, pattern)
            MinLength = schema.MinLength;
            MaxLength = schema.MaxLength;
            Minimum = schema.Minimum;
            Maximum = schema.Maximum;
            IsExclusiveMinimum = schema.IsExclusiveMinimum;
            IsExclusiveMaximum = schema.IsExclusiveMaximum;
            ExclusiveMinimum = schema.ExclusiveMinimum;
            ExclusiveMaximum = schema.ExclusiveMaximum;
            MultipleOf = schema.MultipleOf;
            HasNumberConstraints = Minimum is not null || Maximum is not null || ExclusiveMinimum is not null || ExclusiveMaximum is not null
                || MultipleOf is not null;
            MinItems = schema.MinItems;
            MaxItems = schema.MaxItems;
            UniqueItems = schema.UniqueItems;
            Item = schema.Item is { } item ? acceptor.Compile(item.ActualSchema) : null;
            foreach (var (name, property) in schema.Properties)
            {
                Properties.Add(name, new Declared(acceptor.Compile(property.ActualSchema), property.IsNullable(SchemaType.JsonSchema)));
            }

            Required = schema.Properties.Where(p => p.Value.IsRequired).Select(p => p.Key)
                .Concat(schema.RequiredProperties.Where(name => !schema.Properties.ContainsKey(name)))
                .ToArray();
            MinProperties = schema.MinProperties;
            MaxProperties = schema.MaxProperties;
            AdditionalProperties = schema.AdditionalPropertiesSchema is { } additional ? acceptor.Compile(additional.ActualSchema) : null;
            AllowAdditionalProperties = schema.AllowAdditionalProperties;
        }
    }
}
