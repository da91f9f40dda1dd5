using Reconciler.Keepalived.Parsing;
using Reconciler.Topology;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>keepalived's tracked files (trackers/track_file.c, check/check_file.c): the top-level <c>track_file</c> block
/// (and its old name <c>vrrp_track_file</c>) becomes a <c>checks</c> entry with a file; a real server's FILE_CHECK a
/// health check of type file; an instance's or a sync group's <c>track_file</c> entries tracked checks.</summary>
internal sealed partial class NodeConfigReader
{
    /// <summary><c>track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }</c>: weight 1 by
    /// default, -254..254.</summary>
    private void ReadTrackFile(ConfigStatement statement)
    {
        if (Name(statement) is not { } name)
        {
            return;
        }

        var context = $"{statement.Name} {name}";
        string? path = null;
        var weight = TopologyDefaults.TrackedFileWeight;
        var reverse = false;
        TrackedFileInit? init = null;
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "file":
                    path = Word(s)?.Text ?? path;
                    break;
                case "weight":
                    NoBlock(s);
                    if (FileWeight(s, 0, context, -254, 254, allowNoReverse: false) is { } read)
                    {
                        (weight, reverse) = (read.Weight, read.Reverse ?? false);
                    }

                    break;
                case "init_file":
                    init = InitFile(s, context);
                    break;
                default:
                    Unsupported(s, context);
                    break;
            }
        }

        if (path is null)
        {
            Error("missing-value", $"{context} has no 'file' (keepalived ignores it)", statement.Location);
            return;
        }

        var interval = TopologyDefaults.CheckInterval;
        _node.Scripts.Add(new Located<TrackedCheck>(
            new TrackedCheck(name, [], interval, TopologyDefaults.CheckTimeout(interval), TopologyDefaults.CheckRise, TopologyDefaults.CheckFall, weight)
            {
                File = new TrackedFile(path, reverse, init),
            },
            statement.Location));
    }

    /// <summary><c>init_file [VALUE] [overwrite]</c>, in any order; no value is 0.</summary>
    private TrackedFileInit InitFile(ConfigStatement s, string context)
    {
        NoBlock(s);
        var value = 0;
        var overwrite = false;
        foreach (var argument in s.Arguments)
        {
            if (argument.Text == "overwrite")
            {
                overwrite = true;
            }
            else if (argument.Text.Length > 0 && (char.IsAsciiDigit(argument.Text[0]) || argument.Text[0] == '-'))
            {
                value = ParseInt(argument, "init_file", int.MinValue, int.MaxValue) ?? 0;
            }
            else
            {
                Dropped(argument, context, "unknown init_file option");
            }
        }

        return new TrackedFileInit(value, overwrite);
    }

    /// <summary><c>track_file { NAME [weight W [reverse|noreverse]] ... }</c> in an instance or a sync group: no weight
    /// takes the file's own weight and reverse.</summary>
    private void ReadTrackFiles(ConfigStatement statement, string context, List<Located<TrackedCheckReference>> into)
    {
        foreach (var entry in Block(statement))
        {
            var reference = new TrackedCheckReference(entry.Name, null);
            if (entry.Arguments.Count > 0)
            {
                if (entry.Arguments[0].Text != "weight" || entry.Arguments.Count < 2)
                {
                    Dropped(entry.Arguments[0], context, "expected 'weight N [reverse|noreverse]'");
                }
                else if (FileWeight(entry, 1, context, -254, 254, allowNoReverse: true) is { } read)
                {
                    reference = reference with { Weight = read.Weight, Reverse = read.Reverse };
                }
            }

            into.Add(new Located<TrackedCheckReference>(reference, entry.Location));
        }
    }

    /// <summary>A real server's <c>FILE_CHECK { track_file NAME; weight W [reverse|noreverse] }</c>: W within
    /// -65535..65535; no weight, or 0, takes the tracked file's weight and reverse.</summary>
    private HealthCheck ReadFileChecker(ConfigStatement statement, string rsLabel)
    {
        var context = $"{rsLabel} {statement.Name}";
        string? name = null;
        int? weight = null;
        var reverse = false;
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "track_file":
                    name = Word(s)?.Text ?? name;
                    break;
                case "weight":
                    NoBlock(s);
                    if (FileWeight(s, 0, context, -65535, 65535, allowNoReverse: true) is { } read)
                    {
                        (weight, reverse) = read.Weight == 0 ? ((int?)null, false) : (read.Weight, read.Reverse ?? false);
                    }

                    break;
                default:
                    Unsupported(s, context);
                    break;
            }
        }

        if (name is null)
        {
            Error("missing-value", $"{context} has no 'track_file' (keepalived ignores such a checker)", statement.Location);
        }

        var interval = TopologyDefaults.HealthCheckInterval;
        return new HealthCheck(
            HealthCheckKind.File, interval, TopologyDefaults.ConnectTimeout, TopologyDefaults.Retries(HealthCheckKind.File),
            TopologyDefaults.DelayBeforeRetry(HealthCheckKind.File, interval), TopologyDefaults.HealthCheckRise, TopologyDefaults.HealthCheckFall,
            TopologyDefaults.Warmup, null, null, null, null, null)
        {
            File = new FileCheck(name ?? string.Empty, weight, weight is not null && reverse),
        };
    }

    /// <summary>The weight at argument <paramref name="at"/> of <paramref name="s"/> and an optional <c>reverse</c>
    /// (or <c>noreverse</c>, where keepalived takes it) after it; null when the weight is missing or invalid.</summary>
    private (int Weight, bool? Reverse)? FileWeight(ConfigStatement s, int at, string context, long min, long max, bool allowNoReverse)
    {
        if (s.Arguments.Count <= at)
        {
            Error("missing-value", $"'{s.Name}' needs a value", s.Location);
            return null;
        }

        if (ParseInt(s.Arguments[at], "weight", min, max) is not { } weight)
        {
            return null;
        }

        bool? reverse = null;
        if (s.Arguments.Count > at + 1)
        {
            var option = s.Arguments[at + 1];
            if (option.Text == "reverse" || (allowNoReverse && option.Text == "noreverse"))
            {
                reverse = option.Text == "reverse";
            }
            else
            {
                Dropped(option, context, "unknown weight option");
            }

            for (var i = at + 2; i < s.Arguments.Count; i++)
            {
                Dropped(s.Arguments[i], context, "unexpected argument");
            }
        }

        return (weight, reverse);
    }
}
