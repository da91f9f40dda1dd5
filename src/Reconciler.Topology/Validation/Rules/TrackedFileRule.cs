using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// keepalived's <c>track_file</c> and <c>FILE_CHECK</c>: a check runs a command or reads a file, never both or
/// neither; an init value outside -254..254 is allowed but warned about (keepalived: "outside sensible range");
/// <c>reverse</c> in a tracking reference is for files only; a health check of type file names a check with a file
/// (did you mean), and its <c>reverse</c> goes with a <c>weight</c> (keepalived takes a missing weight, and weight 0,
/// as the tracked file's weight and reverse).
/// </summary>
public sealed class TrackedFileRule : ITopologyRule
{
    public string Code => "tracked-file";

    public void Check(ValidationContext context)
    {
        var topology = context.Topology;
        for (var c = 0; c < topology.Checks.Count; c++)
        {
            var check = topology.Checks[c];
            if (check.File is null && check.Command.Count == 0)
            {
                context.Error(Code, Pointers.Check(c), $"check '{check.Name}' needs a command or a file");
            }
            else if (check.File is { } file)
            {
                if (check.Command.Count > 0)
                {
                    context.Error(Code, Pointers.Check(c, "command"), $"check '{check.Name}' reads a file: it runs no command (give one or the other)");
                }

                if (file.Init is { Value: < -254 or > 254 } init)
                {
                    context.Warning(Code, JsonPointer.Append(JsonPointer.Append(Pointers.Check(c, "file"), "init"), "value"),
                        $"init value {init.Value} is outside the sensible range -254..254");
                }
            }
        }

        for (var i = 0; i < topology.VrrpInstances.Count; i++)
        {
            References(context, topology.VrrpInstances[i].TrackChecks, Pointers.Instance(i, "trackChecks"));
        }

        for (var g = 0; g < topology.SyncGroups.Count; g++)
        {
            References(context, topology.SyncGroups[g].TrackChecks, Pointers.SyncGroup(g, "trackChecks"));
        }

        var files = topology.Checks.Where(c => c.File is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (check, pointer) in HealthChecks.Of(topology))
        {
            if (check.Kind != HealthCheckKind.File || check.File is not { } fileCheck)
            {
                continue;
            }

            var at = JsonPointer.Append(pointer, "file");
            if (!files.Contains(fileCheck.Check))
            {
                var what = topology.FindCheck(fileCheck.Check) is null ? "no check is named" : "no file is read by check";
                var hint = SchemaErrorFormatter.Suggest(fileCheck.Check, files) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;
                context.Error(Code, JsonPointer.Append(at, "check"), $"{what} '{fileCheck.Check}'{hint}");
            }

            if (fileCheck.Weight == 0)
            {
                context.Error(Code, JsonPointer.Append(at, "weight"),
                    "weight 0 here means the tracked file's weight in keepalived: leave it out, or give the tracked file weight 0");
            }
            else if (fileCheck.Reverse && fileCheck.Weight is null)
            {
                context.Error(Code, JsonPointer.Append(at, "reverse"), "reverse goes with a weight (without one, the tracked file's weight and reverse apply)");
            }
        }
    }

    private void References(ValidationContext context, ValueList<TrackedCheckReference> references, string pointer)
    {
        for (var t = 0; t < references.Count; t++)
        {
            if (references[t].Reverse is not null && context.Topology.FindCheck(references[t].Check) is { File: null })
            {
                context.Error(Code, Pointers.Item(pointer, t, "reverse"), $"reverse applies to a tracked file; check '{references[t].Check}' runs a command");
            }
        }
    }
}
