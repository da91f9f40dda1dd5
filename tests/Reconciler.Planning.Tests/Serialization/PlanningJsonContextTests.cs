using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;

namespace Reconciler.Planning.Tests.Serialization;

/// <summary>The source-generated context behind <see cref="PlanningJson"/>: an enum without a converter listed there
/// would silently be written as a number.</summary>
public sealed class PlanningJsonContextTests
{
    [Fact]
    public void EveryEnumReachableFromTheSerializedTypes_IsWrittenAsAKebabCaseString()
    {
        var numbers = new List<string>();
        foreach (var info in Reachable(PlanningJson.Options, typeof(Plan), typeof(SavedPlan), typeof(OwnershipRecord), typeof(OverlaySnapshot)))
        {
            var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
            if (type.IsEnum)
            {
                var text = JsonSerializer.Serialize(Enum.GetValues(type).GetValue(1), info);
                if (!text.StartsWith('"'))
                {
                    numbers.Add($"{info.Type}: {text}");
                }
            }
        }

        Assert.Empty(numbers);
    }

    [Fact]
    public void Options_AreTheContexts_AndReadOnly()
    {
        Assert.Same(PlanningJsonContext.Default, PlanningJson.Options.TypeInfoResolver);
        Assert.True(PlanningJson.Options.IsReadOnly);
    }

    /// <summary>Every type the serializer meets from <paramref name="roots"/>: properties, elements, keys, derived types.</summary>
    private static IEnumerable<JsonTypeInfo> Reachable(JsonSerializerOptions options, params Type[] roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            var info = options.GetTypeInfo(type);
            yield return info;
            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            foreach (var derived in info.PolymorphismOptions?.DerivedTypes ?? [])
            {
                pending.Push(derived.DerivedType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }
    }
}
