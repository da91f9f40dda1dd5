using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Planning.Serialization;

/// <summary>
/// <typeparamref name="TEnum"/> as a kebab-case string (<c>DirectRoute</c> as <c>direct-route</c>); numbers are still
/// read. The generic form of <c>new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)</c>, which needs
/// runtime code generation: named per enum in a source-generated context's converters, it works under native AOT.
/// </summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
    where TEnum : struct, Enum;
