using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// An smtp check's HELO name is one word of printable ASCII: the probe refuses anything else (a line break would
/// end the command early and smuggle another in), and a blank would split the name, which keepalived's
/// <c>helo_name</c> cannot carry unquoted and no server reads as one name.
/// </summary>
public sealed class SmtpCheckRule : ITopologyRule
{
    public string Code => "smtp-check";

    public void Check(ValidationContext context)
    {
        foreach (var (check, pointer) in HealthChecks.Of(context.Topology))
        {
            if (check.Kind == HealthCheckKind.Smtp && check.Smtp is { } smtp && !IsHeloName(smtp.HeloName))
            {
                context.Error(Code, JsonPointer.Append(JsonPointer.Append(pointer, "smtp"), "heloName"),
                    $"HELO name {Quote(smtp.HeloName)} is not one word of printable ASCII (no blanks, line breaks or other control characters)");
            }
        }
    }

    private static bool IsHeloName(string name) => name.Length > 0 && name.All(c => c is >= '!' and <= '~');

    private static string Quote(string text) =>
        "'" + string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + "'";
}
