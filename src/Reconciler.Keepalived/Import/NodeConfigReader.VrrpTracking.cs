using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>What a <c>vrrp_instance</c> and a <c>vrrp_sync_group</c> both have: tracked scripts and interfaces, the
/// notify commands, and the trackers and alerts the topology has no equivalent of.</summary>
internal sealed partial class NodeConfigReader
{
    /// <summary><c>track_script { NAME [weight N] ... }</c>: no weight takes the script's own.</summary>
    private void ReadTrackScripts(ConfigStatement statement, string context, List<Located<TrackedCheckReference>> into)
    {
        foreach (var entry in Block(statement))
        {
            var weight = entry.Arguments.Count == 0 ? (int?)null : TrackWeight(entry, context);
            into.Add(new Located<TrackedCheckReference>(new TrackedCheckReference(entry.Name, weight), entry.Location));
        }
    }

    /// <summary><c>track_interface { NAME [weight N] ... }</c>: no weight is 0 (FAULT while the link is down).</summary>
    private void ReadTrackInterfaces(ConfigStatement statement, string context, List<Located<TrackedInterface>> into)
    {
        foreach (var entry in Block(statement))
        {
            var weight = entry.Arguments.Count == 0 ? 0 : TrackWeight(entry, context) ?? 0;
            into.Add(new Located<TrackedInterface>(new TrackedInterface(entry.Name, weight), entry.Location));
        }
    }

    private int? TrackWeight(ConfigStatement entry, string context)
    {
        if (entry.Arguments[0].Text != "weight" || entry.Arguments.Count < 2)
        {
            Dropped(entry.Arguments[0], context, "expected 'weight N'");
            return null;
        }

        for (var i = 2; i < entry.Arguments.Count; i++)
        {
            Dropped(entry.Arguments[i], context, entry.Arguments[i].Text == "reverse" ? "reversed weights are not supported" : "unexpected argument");
        }

        return ParseInt(entry.Arguments[1], "weight", -253, 253);
    }

    /// <summary>Reads <paramref name="statement"/> into <paramref name="notify"/> when it is one of the notify
    /// keywords; false when it is not.</summary>
    private bool ReadNotify(ConfigStatement statement, string context, NotifyCommands notify)
    {
        switch (statement.Name)
        {
            case "notify_master":
                notify.Master = NotifyCommand(statement, context);
                return true;
            case "notify_backup":
                notify.Backup = NotifyCommand(statement, context);
                return true;
            case "notify_fault":
                notify.Fault = NotifyCommand(statement, context);
                return true;
            case "notify_stop":
                notify.Stop = NotifyCommand(statement, context);
                return true;
            case "notify":
                notify.Any = NotifyCommand(statement, context);
                return true;
            case "smtp_alert":
                notify.Mail = SmtpAlert(statement, context);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Warns about a tracker or alert the topology has no equivalent of, with what to do instead; false when
    /// <paramref name="statement"/> is none of them.</summary>
    private bool UnsupportedTracking(ConfigStatement statement, string context)
    {
        var instead = statement.Name switch
        {
            "track_process" or "track_bfd" =>
                "the topology tracks checks, files and interfaces only: a vrrp_script that tests the process or BFD session can be tracked instead",
            _ => null,
        };
        if (instead is null)
        {
            return false;
        }

        Unsupported(statement, context, instead);
        return true;
    }

    /// <summary>The notify commands of an instance or a sync group, as they are read.</summary>
    private sealed class NotifyCommands
    {
        public string? Master { get; set; }

        public string? Backup { get; set; }

        public string? Fault { get; set; }

        public string? Stop { get; set; }

        public string? Any { get; set; }

        /// <summary><c>smtp_alert</c>'s flag; null: as global_defs says.</summary>
        public bool? Mail { get; set; }

        public VrrpNotify? ToNotify() =>
            Master is null && Backup is null && Fault is null && Stop is null && Any is null && Mail is null
                ? null
                : new VrrpNotify(Master, Backup, Fault, Stop, Any, null) { Mail = Mail };
    }
}
