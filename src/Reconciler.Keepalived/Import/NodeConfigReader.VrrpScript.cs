using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    private void ReadVrrpScript(ConfigStatement statement)
    {
        if (Name(statement) is not { } name)
        {
            return;
        }

        var context = $"vrrp_script {name}";
        ValueList<string> command = [];
        var interval = TimeSpan.FromSeconds(1);
        TimeSpan? timeout = null;
        int rise = DefaultScriptRiseFall, fall = DefaultScriptRiseFall, weight = 0;
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "script":
                    command = Command(s);
                    break;
                case "interval":
                    interval = Seconds(s, 1, 86400) ?? interval;
                    break;
                case "timeout":
                    timeout = Seconds(s, 1, 86400) ?? timeout;
                    break;
                case "rise":
                    rise = Int(s, 1, 1000) ?? rise;
                    break;
                case "fall":
                    fall = Int(s, 1, 1000) ?? fall;
                    break;
                case "weight":
                    weight = ScriptWeight(s, context) ?? weight;
                    break;
                default:
                    Unsupported(s, context);
                    break;
            }
        }

        if (command.Count == 0)
        {
            Error("missing-value", $"{context} has no 'script'", statement.Location);
            return;
        }

        // keepalived runs a script with no timeout for at most its interval.
        _node.Scripts.Add(new Located<TrackedCheck>(
            new TrackedCheck(name, command, interval, timeout ?? interval, rise, fall, weight), statement.Location));
    }

    /// <summary><c>weight N [reverse]</c>: -253..253; <c>reverse</c> has no topology equivalent.</summary>
    private int? ScriptWeight(ConfigStatement s, string context)
    {
        NoBlock(s);
        if (s.Arguments.Count == 0)
        {
            Error("missing-value", $"'{s.Name}' needs a value", s.Location);
            return null;
        }

        for (var i = 1; i < s.Arguments.Count; i++)
        {
            Dropped(s.Arguments[i], context, s.Arguments[i].Text == "reverse" ? "reversed weights are not supported" : "unexpected argument");
        }

        return ParseInt(s.Arguments[0], s.Name, -253, 253);
    }
}
