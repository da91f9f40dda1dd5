using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Reconciler.Topology.Loading;

/// <summary>
/// NJsonSchema's validator, which reports every error, with a fast path for what is valid: before it checks a token
/// against a schema it asks <see cref="SchemaAcceptor"/> whether the whole subtree would pass, and when so skips it.
/// A valid topology is then one walk; an invalid one is checked by NJsonSchema from the root down to each error
/// (the valid siblings on the way skipped), so the errors are NJsonSchema's own, unchanged.
/// </summary>
internal sealed class TopologySchemaValidator : JsonSchemaValidator
{
    private readonly SchemaAcceptor _acceptor;

    public TopologySchemaValidator(JsonSchema schema)
        : base(new JsonSchemaValidatorSettings())
    {
        Schema = schema;
        _acceptor = new SchemaAcceptor(schema);
    }

    public JsonSchema Schema { get; }

    /// <summary>Every error in <paramref name="token"/> against the schema, as NJsonSchema reports them.</summary>
    public ICollection<ValidationError> Validate(JToken token) => Validate(token, Schema);

    protected override ICollection<ValidationError> Validate(JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath) =>
        schemaType == SchemaType.JsonSchema && _acceptor.Accepts(token, schema)
            ? []
            : base.Validate(token, schema, schemaType, propertyName, propertyPath);
}
