using System.Globalization;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Loading;

/// <summary>Turns the schema validator's errors into located diagnostics a person understands.</summary>
internal static class SchemaErrorFormatter
{
    public const string Code = "schema";

    private const string DurationPattern = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    private const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

    public static void Format(IEnumerable<ValidationError> errors, TopologySourceMap map, List<Diagnostic> output, HashSet<string> failedPointers)
    {
        foreach (var error in Flatten(errors))
        {
            var (pointer, located, message) = Describe(error);

            // One complaint per value is enough (a huge number is both too big and, to the validator, not an integer).
            if (!failedPointers.Add(pointer) && error.Kind != ValidationErrorKind.PropertyRequired)
            {
                continue;
            }

            var location = located == Locate.Key ? map.FindKey(pointer) : map.Find(pointer);
            output.Add(Diagnostic.Error(Code, $"{JsonPointer.Display(pointer)}: {message}", location, pointer));
        }
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Kind is ValidationErrorKind.AdditionalPropertiesNotValid
                    or ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalItemNotValid)
            {
                foreach (var nested in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private enum Locate
    {
        Value,
        Key,
    }

    private static (string Pointer, Locate Locate, string Message) Describe(ValidationError error)
    {
        var token = error.Token;
        var pointer = token is null ? string.Empty : PointerOf(token);
        var schema = error.Schema?.ActualSchema;
        switch (error.Kind)
        {
            case ValidationErrorKind.PropertyRequired:
                return (pointer, Locate.Value, $"missing required property '{error.Property}'");
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
            {
                var propertyPointer = token is JProperty ? pointer : JsonPointer.Append(pointer, error.Property ?? string.Empty);
                var known = ParentSchemaProperties(error);
                var suggestion = Suggest(error.Property ?? string.Empty, known);
                var expected = known.Count > 0 ? $" (expected {string.Join(", ", known)})" : string.Empty;
                return (propertyPointer, Locate.Key, suggestion is null
                    ? $"unknown property '{error.Property}'{expected}"
                    : $"unknown property '{error.Property}'; did you mean '{suggestion}'?");
            }
        }

        var value = ValueOf(token);
        var message = error.Kind switch
        {
            ValidationErrorKind.StringExpected => value is JValue { Type: JTokenType.Integer or JTokenType.Float or JTokenType.Boolean } v
                ? $"expected text but found the {KindName(v)} {Show(v)}; quote it: \"{v.ToString(CultureInfo.InvariantCulture)}\""
                : $"expected text but found {Describe(value)}",
            ValidationErrorKind.IntegerExpected => $"expected a whole number but found {Describe(value)}",
            ValidationErrorKind.NumberExpected => $"expected a number but found {Describe(value)}",
            ValidationErrorKind.BooleanExpected => value is JValue { Type: JTokenType.String } s && YamlScalars.IsLegacyBoolean((string)s!)
                ? $"expected true or false but found '{(string)s!}' (YAML 1.2 reads it as text)"
                : $"expected true or false but found {Describe(value)}",
            ValidationErrorKind.ArrayExpected => $"expected a list but found {Describe(value)}",
            ValidationErrorKind.ObjectExpected => $"expected a mapping but found {Describe(value)}",
            ValidationErrorKind.NullExpected => $"expected nothing but found {Describe(value)}",
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
                $"{Show(value)} is greater than the maximum {Number(schema?.Maximum)}",
            ValidationErrorKind.NumberTooSmall => $"{Show(value)} is less than the minimum {Number(schema?.Minimum)}",
            ValidationErrorKind.StringTooShort => value is JValue { Type: JTokenType.String } e && ((string)e!).Length == 0
                ? "must not be empty"
                : $"{Show(value)} is shorter than {schema?.MinLength} characters",
            ValidationErrorKind.StringTooLong => $"{Show(value)} is longer than {schema?.MaxLength} characters",
            ValidationErrorKind.PatternMismatch => schema?.Pattern switch
            {
                DurationPattern => $"{Show(value)} is not a duration (examples: 100ms, 1s, 1.5s, 5m, 1h30m)",
                NamePattern => $"{Show(value)} is not a valid name (letters, digits, '_', '.', '-', starting with a letter or digit)",
                _ when error.Property == "bodyDigest" || pointer.EndsWith("/bodyDigest", StringComparison.Ordinal) =>
                    $"{Show(value)} is not an MD5 digest (32 hexadecimal digits)",
                _ when pointer.EndsWith("/dns/type", StringComparison.Ordinal) =>
                    $"{Show(value)} is not a query type DNS_CHECK knows (A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY, in any case)",
                _ when pointer.EndsWith("/smtp/heloName", StringComparison.Ordinal) =>
                    $"{Show(value)} is not one word of printable ASCII (no blanks, line breaks or other control characters)",
                var pattern => $"{Show(value)} does not match the pattern {pattern}",
            },
            ValidationErrorKind.NotInEnumeration => EnumMessage(value, schema),
            ValidationErrorKind.TooFewItems => $"must have at least {schema?.MinItems} item{(schema?.MinItems == 1 ? string.Empty : "s")}",
            ValidationErrorKind.TooManyItems => $"must have at most {schema?.MaxItems} items",
            ValidationErrorKind.TooFewProperties => $"must have at least {schema?.MinProperties} entr{(schema?.MinProperties == 1 ? "y" : "ies")}",
            ValidationErrorKind.ItemsNotUnique => "lists the same item more than once",
            _ => $"does not match the schema ({error.Kind})",
        };
        return (pointer, Locate.Value, message);
    }

    private static JToken? ValueOf(JToken? token) => token is JProperty property ? property.Value : token;

    private static string EnumMessage(JToken? value, JsonSchema? schema)
    {
        var allowed = schema?.Enumeration.Select(e => Convert.ToString(e, CultureInfo.InvariantCulture) ?? "null").ToArray() ?? [];
        var text = value is JValue { Type: JTokenType.String } s ? (string)s! : null;
        var suggestion = text is null ? null : Suggest(text, allowed);
        var hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
        return $"{Show(value)} is not one of {string.Join(", ", allowed)}{hint}";
    }

    private static IReadOnlyList<string> ParentSchemaProperties(ValidationError error)
    {
        var schema = error.Schema?.ActualSchema;
        return schema is null ? [] : schema.Properties.Keys.ToArray();
    }

    /// <summary>The closest candidate within a small edit distance (case-insensitive), if any.</summary>
    internal static string? Suggest(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, text.Length / 3)) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Number(decimal? value) =>
        value is null ? "?" : value.Value.ToString("0.##########", CultureInfo.InvariantCulture);

    private static string KindName(JValue value) => value.Type switch
    {
        JTokenType.Integer or JTokenType.Float => "number",
        JTokenType.Boolean => "boolean",
        _ => "value",
    };

    internal static string Show(JToken? value) => value switch
    {
        JValue { Type: JTokenType.String } s => $"'{Truncate((string)s!)}'",
        JValue { Type: JTokenType.Null } => "nothing (null)",
        JValue { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "?",
        JObject => "a mapping",
        JArray => "a list",
        _ => "nothing",
    };

    private static string Describe(JToken? value) => value switch
    {
        JValue { Type: JTokenType.String } => "the text " + Show(value),
        JValue { Type: JTokenType.Integer or JTokenType.Float } => "the number " + Show(value),
        JValue { Type: JTokenType.Boolean } => "the boolean " + Show(value),
        _ => Show(value),
    };

    private static string Truncate(string text)
    {
        var shown = text.Length <= 60 ? text : text[..57] + "...";
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    /// <summary>The JSON pointer of a token, from its place in the tree.</summary>
    internal static string PointerOf(JToken token)
    {
        var segments = new List<string>();
        JToken? current = token;
        if (current is JProperty own)
        {
            segments.Add(own.Name);
            current = own.Parent;
        }

        while (current?.Parent is { } parent)
        {
            switch (parent)
            {
                case JProperty property:
                    segments.Add(property.Name);
                    current = property.Parent;
                    break;
                case JArray array:
                    segments.Add(array.IndexOf(current).ToString(CultureInfo.InvariantCulture));
                    current = array;
                    break;
                default:
                    current = parent;
                    break;
            }
        }

        var pointer = string.Empty;
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            pointer = JsonPointer.Append(pointer, segments[i]);
        }

        return pointer;
    }
}
