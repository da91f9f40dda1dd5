using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Reconciler.Testing.Fuzzing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>
/// <see cref="TopologySchemaValidator"/> must report exactly what NJsonSchema's own validator reports: its fast path
/// may only skip what NJsonSchema would pass. Compared error by error (kind, property, path, token, schema, and the
/// nested errors) over the topology corpus with every value replaced by values of every kind, every property
/// removed, an unknown one added, and over text-mutated corpus files.
/// </summary>
public sealed class TopologySchemaValidatorTests
{
    private static readonly FuzzCorpus Corpus = FuzzCorpus.Load("topology");

    /// <summary>Values of every kind, and at the edges of the schema's ranges and patterns.</summary>
    private static readonly JToken[] Replacements =
    [
        JValue.CreateNull(), new JValue("x"), new JValue(string.Empty), new JValue("10.0.0.1"), new JValue("1s"), new JValue("wrr"),
        new JValue(-1L), new JValue(0L), new JValue(1L), new JValue(255L), new JValue(256L), new JValue(65535L), new JValue(65536L),
        new JValue(1.5), new JValue(true), new JObject(), new JArray(), new JArray(new JValue("x")),
    ];

    [Theory]
    [InlineData("seed-topology.yaml")]
    [InlineData("large-topology.yaml")]
    [InlineData("imported-features.yaml")]
    [InlineData("yaml-syntax.yaml")]
    public void Validate_EveryValueReplacedRemovedOrAdded_SameErrorsAsNJsonSchema(string file)
    {
        var root = Tree(Encoding.UTF8.GetString(Corpus.Get(file).Bytes));
        Assert.NotNull(root);

        var cases = 0;
        var invalid = 0;
        foreach (var path in ((JContainer)root!).DescendantsAndSelf().Where(t => t is not JProperty).Select(t => t.Path).ToList())
        {
            foreach (var replacement in Replacements)
            {
                var copy = (JToken)root.DeepClone();
                var target = copy.SelectToken(path, errorWhenNoMatch: true)!;
                if (target == copy)
                {
                    copy = replacement.DeepClone();
                }
                else
                {
                    target.Replace(replacement.DeepClone());
                }

                invalid += AssertSameErrors(copy, $"{file}: {path} = {replacement.ToString(Newtonsoft.Json.Formatting.None)}");
                cases++;
            }

            var parentCopy = (JToken)root.DeepClone();
            if (parentCopy.SelectToken(path) is JObject mapping)
            {
                foreach (var name in mapping.Properties().Select(p => p.Name).ToList())
                {
                    var withoutOne = (JObject)mapping.DeepClone();
                    withoutOne.Remove(name);
                    invalid += AssertSameErrors(ReplaceAt(root, path, withoutOne), $"{file}: {path} without {name}");
                    cases++;
                }

                var withUnknown = (JObject)mapping.DeepClone();
                withUnknown["unknownKey"] = 1;
                invalid += AssertSameErrors(ReplaceAt(root, path, withUnknown), $"{file}: {path} with unknownKey");
                cases++;
            }
        }

        // The comparison means something only if both kinds of answer came up often.
        Assert.True(cases > 500, $"{cases} cases");
        Assert.InRange(invalid, cases / 10, cases - (cases / 10));
    }

    [Fact]
    public void Validate_TextMutatedCorpus_SameErrorsAsNJsonSchema()
    {
        var compared = 0;
        var result = new MutationFuzzer(Corpus, FuzzInputKind.Text).Run(input =>
        {
            if (Tree(Encoding.UTF8.GetString(input)) is { } tree)
            {
                AssertSameErrors(tree, Convert.ToBase64String(input));
                compared++;
            }
        }, new FuzzSettings(1_500, 11) { SaveCrashes = false });

        Assert.Null(result.Failure);
        Assert.True(compared > 300, $"only {compared} mutated inputs were YAML");
    }

    [Fact]
    public void Validate_ValidLargeTopology_NoErrorsAndNoFallback()
    {
        var root = Tree(Encoding.UTF8.GetString(Corpus.Get("large-topology.yaml").Bytes))!;

        Assert.Empty(TopologySchema.Validator.Validate(root));
        Assert.True(new SchemaAcceptor(TopologySchema.Schema).Accepts(root, TopologySchema.Schema.ActualSchema));
    }

    [Fact]
    public void Accepts_SchemaWithAKeywordItDoesNotModel_SaysNoSoNJsonSchemaDecides()
    {
        var schema = new JsonSchema { Type = JsonObjectType.String, Format = "ipv4" };

        Assert.False(new SchemaAcceptor(schema).Accepts(new JValue("10.0.0.1"), schema));
        Assert.Empty(new TopologySchemaValidator(schema).Validate(new JValue("10.0.0.1")));
        Assert.Single(new TopologySchemaValidator(schema).Validate(new JValue("not an address")));
    }

    private static JToken ReplaceAt(JToken root, string path, JToken replacement)
    {
        var copy = root.DeepClone();
        var target = copy.SelectToken(path, errorWhenNoMatch: true)!;
        if (target == copy)
        {
            return replacement;
        }

        target.Replace(replacement);
        return copy;
    }

    /// <summary>Asserts both validators give the same errors; returns 1 when there were any.</summary>
    private static int AssertSameErrors(JToken tree, string what)
    {
        var expected = Describe(new JsonSchemaValidator(new JsonSchemaValidatorSettings()).Validate(tree, TopologySchema.Schema));
        var actual = Describe(TopologySchema.Validator.Validate(tree));
        Assert.True(expected == actual, $"{what}\nNJsonSchema:\n{expected}\nours:\n{actual}");
        return expected.Length > 0 ? 1 : 0;
    }

    private static string Describe(IEnumerable<ValidationError> errors)
    {
        var text = new StringBuilder();
        Describe(errors, 0, text);
        return text.ToString();
    }

    private static void Describe(IEnumerable<ValidationError> errors, int depth, StringBuilder text)
    {
        foreach (var error in errors)
        {
            text.Append(' ', depth * 2).Append(CultureInfo.InvariantCulture,
                $"{error.Kind} property={error.Property} path={error.Path} token={error.Token?.Path}:{error.Token?.GetHashCode()} schema={error.Schema?.GetHashCode()}\n");
            switch (error)
            {
                case ChildSchemaValidationError child:
                    foreach (var (schema, nested) in child.Errors)
                    {
                        text.Append(' ', (depth * 2) + 1).Append(CultureInfo.InvariantCulture, $"under schema {schema.GetHashCode()}\n");
                        Describe(nested, depth + 1, text);
                    }

                    break;
                case MultiTypeValidationError multi:
                    foreach (var (type, nested) in multi.Errors)
                    {
                        text.Append(' ', (depth * 2) + 1).Append(CultureInfo.InvariantCulture, $"as {type}\n");
                        Describe(nested, depth + 1, text);
                    }

                    break;
            }
        }
    }

    /// <summary>The document's tree as the loader builds it, or null when it is not readable YAML.</summary>
    private static JToken? Tree(string text)
    {
        var budget = TopologyLoaderOptions.Default.MaxNodes;
        return YamlJsonReader.Read("corpus.yaml", text, TopologyLoaderOptions.Default, new List<Diagnostic>(), ref budget);
    }
}
