using System.Text.Json;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Serialization;

namespace Reconciler.Planning.Plans;

/// <summary>
/// A plan written by <c>plan -o FILE</c> for a later <c>apply FILE</c>: the plan as reviewed, and the desired
/// state it was computed for (what the ownership record becomes once it is applied).
/// </summary>
public sealed record SavedPlan(int FormatVersion, Plan Plan, DesiredState Desired)
{
    public const int CurrentFormatVersion = 1;

    public static SavedPlan Of(Plan plan, DesiredState desired) => new(CurrentFormatVersion, plan, desired);

    public void Write(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, PlanningJsonContext.Default.SavedPlan);
    }

    public static SavedPlan Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var saved = JsonSerializer.Deserialize(stream, PlanningJsonContext.Default.SavedPlan)
                ?? throw new InvalidDataException($"{path}: empty plan file");
            return saved.FormatVersion == CurrentFormatVersion
                ? saved
                : throw new InvalidDataException($"{path}: plan format {saved.FormatVersion} is not supported (this reconciler writes {CurrentFormatVersion})");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a plan file ({e.Message})", e);
        }
    }
}
