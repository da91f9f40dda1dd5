using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// <c>vrrp_sync_group</c>, as keepalived 2.2.7 reads it: the block first, its members once every instance is read
/// (group by group, in the order of the file); a member keepalived ignores is a located warning, and so is every
/// change keepalived makes to a member's tracking.
/// </summary>
internal sealed partial class NodeConfigReader
{
    private readonly List<SyncGroupBlock> _syncGroupBlocks = [];

    private void ReadVrrpSyncGroup(ConfigStatement statement)
    {
        if (Name(statement) is not { } name)
        {
            return;
        }

        if (_syncGroupBlocks.FirstOrDefault(g => g.Name == name) is { } first)
        {
            Error("duplicate-name", $"vrrp_sync_group {name} is defined twice (first at {first.Location})", statement.Location);
            return;
        }

        var context = $"vrrp_sync_group {name}";
        var block = new SyncGroupBlock(name, statement.Location);
        var notify = new NotifyCommands();
        var readMembers = false;
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "group":
                    if (readMembers)
                    {
                        Warning("sync-group-ignored", $"{context}: a second 'group' is ignored; keepalived reads only the first", s.Location);
                        break;
                    }

                    // keepalived reads the names as one list, however they are spread over lines.
                    ExtraArguments(s, 0);
                    readMembers = true;
                    block.Members.AddRange(Block(s).SelectMany(entry => entry.Arguments.Prepend(entry.Keyword)));
                    break;
                case "track_script":
                    ReadTrackScripts(s, context, block.TrackScripts);
                    block.TrackBlocks.Add(s);
                    break;
                case "track_file":
                    ReadTrackFiles(s, context, block.TrackScripts);
                    block.TrackBlocks.Add(s);
                    break;
                case "track_interface":
                    ReadTrackInterfaces(s, context, block.TrackInterfaces);
                    block.TrackBlocks.Add(s);
                    break;
                case "sync_group_tracking_weight":
                    NoBlock(s);
                    ExtraArguments(s, 0);
                    block.TrackingWeights = true;
                    break;
                case "global_tracking":
                    NoBlock(s);
                    ExtraArguments(s, 0);
                    Warning(
                        "deprecated",
                        $"{context}: 'global_tracking' is deprecated (keepalived says so too) and is read as sync_group_tracking_weight: the members keep their tracking weights; tracking on the group (track_script, track_interface) replaces it",
                        s.Location);
                    block.TrackingWeights = true;
                    break;
                default:
                    if (ReadNotify(s, context, notify))
                    {
                        block.NotifyStatements.Add(s);
                    }
                    else if (!UnsupportedTracking(s, context))
                    {
                        Unsupported(s, context);
                    }

                    break;
            }
        }

        block.Notify = notify.ToNotify();
        _syncGroupBlocks.Add(block);
    }

    /// <summary>keepalived's <c>vrrp_sync_set_group</c>: a name that is no instance is ignored, and so is an instance
    /// already in a group (the first group in the file keeps it). A group of two or more becomes a sync group; one of
    /// one is folded into its instance; an empty one is dropped.</summary>
    private void ResolveSyncGroups()
    {
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in _syncGroupBlocks)
        {
            var context = $"vrrp_sync_group {block.Name}";
            var members = new List<InstanceConfig>();
            foreach (var token in block.Members)
            {
                var instance = _node.Instances.FirstOrDefault(i => i.Name == token.Text);
                if (instance is null)
                {
                    Warning(
                        "sync-group-ignored",
                        $"{context}: this configuration has no vrrp_instance {token.Text}; keepalived ignores the name (\"doesn't exist - ignoring\"), and so does the import",
                        token.Location);
                }
                else if (groupOf.TryGetValue(token.Text, out var other))
                {
                    Warning(
                        "sync-group-ignored",
                        other == block.Name
                            ? $"{context}: vrrp_instance {token.Text} is listed twice; the second is ignored"
                            : $"{context}: vrrp_instance {token.Text} is already in vrrp_sync_group {other}, and an instance cannot be in more than one; keepalived leaves it out of this group, and so does the import",
                        token.Location);
                }
                else
                {
                    groupOf.Add(token.Text, block.Name);
                    members.Add(instance);
                }
            }

            if (!block.TrackingWeights)
            {
                foreach (var member in members)
                {
                    ClearMemberWeights(member, block.Name);
                }
            }

            switch (members.Count)
            {
                case 0:
                    Warning("sync-group-ignored", $"{context} has no member instance in this configuration: it does nothing, and the import drops it", block.Location);
                    break;
                case 1:
                    FoldIntoInstance(block, members[0]);
                    break;
                default:
                    var group = new VrrpSyncGroup(
                        block.Name,
                        members.Select(m => m.Name).ToValueList(),
                        block.TrackScripts.Select(t => t.Value).ToValueList(),
                        block.TrackInterfaces.Select(t => t.Value).ToValueList(),
                        block.Notify,
                        block.TrackingWeights);
                    _node.SyncGroups.Add(new SyncGroupConfig(group, block.Location, block.TrackScripts));
                    break;
            }
        }
    }

    /// <summary>
    /// Without <c>sync_group_tracking_weight</c> keepalived keeps the members' priorities equal: it ignores a
    /// member's tracked script that has a weight (its own or the script's) and sets the weight of a member's tracked
    /// interface to 0, so that the interface going down puts the member, and with it the group, in FAULT. The import
    /// does the same, and says so at each line it changes.
    /// </summary>
    private void ClearMemberWeights(InstanceConfig member, string group)
    {
        var why = $"vrrp_instance {member.Name} is in vrrp_sync_group {group}, which has no sync_group_tracking_weight";
        var scripts = member.TrackScripts.ToList();
        member.TrackScripts.Clear();
        foreach (var reference in scripts)
        {
            var check = _node.Scripts.FirstOrDefault(s => s.Value.Name == reference.Value.Check)?.Value;
            var weight = reference.Value.Weight ?? check?.Weight ?? 0;
            if (check is null || weight == 0)
            {
                member.TrackScripts.Add(reference);
                continue;
            }

            // A tracked file is held to the same rule as a script (not checked against keepalived's source).
            var (what, block) = check.File is null ? ("script", "vrrp_script") : ("file", "track_file");
            var whose = reference.Value.Weight is null ? $" ({block} {check.Name}'s own)" : string.Empty;
            var says = check.File is null ? $" (\"ignoring tracked script {check.Name} with weights due to SYNC group\")" : string.Empty;
            Warning(
                "sync-group-ignored",
                $"{why}: keepalived ignores a member's tracked {what} with a weight, here {weight}{whose}, so that the members' priorities stay equal{says}, and so does the import; to have {check.Name} put the group in FAULT, track it with weight 0, here or on the group",
                reference.Location);
        }

        for (var i = 0; i < member.TrackInterfaces.Count; i++)
        {
            var (tracked, location) = (member.TrackInterfaces[i].Value, member.TrackInterfaces[i].Location);
            if (tracked.Weight != 0)
            {
                Warning(
                    "sync-group-weight",
                    $"{why}: the tracked interface {tracked.Interface} gets weight 0, not {tracked.Weight}, as keepalived sets it (\"ignoring {tracked.Interface} tracked interface weight due to SYNC group\"), so that {tracked.Interface} going down puts the whole group in FAULT instead of lowering one member's priority",
                    location);
                member.TrackInterfaces[i] = new Located<TrackedInterface>(tracked with { Weight = 0 }, location);
            }
        }

        UpdateTracking(member);
    }

    /// <summary>A group of one: keepalived keeps it ("this probably isn't what you want"), but it does nothing its one
    /// instance does not do alone, so the topology has the instance only, tracking what the group tracked.</summary>
    private void FoldIntoInstance(SyncGroupBlock block, InstanceConfig instance)
    {
        var context = $"vrrp_sync_group {block.Name}";
        var tracks = block.TrackBlocks.Count > 0;
        Warning(
            tracks ? "sync-group-single" : "sync-group-ignored",
            $"{context} has only one member, vrrp_instance {instance.Name}, and a group of one does nothing its instance does not do alone (keepalived keeps it, warning \"this probably isn't what you want\"): the import drops the group" +
            (tracks ? $" and moves its tracking onto {instance.Name}" : string.Empty),
            block.Location);
        foreach (var s in block.TrackBlocks)
        {
            Warning("sync-group-single", $"{context}: '{s.Name}' moves onto vrrp_instance {instance.Name}, the group's only member", s.Location);
        }

        foreach (var s in block.NotifyStatements)
        {
            Warning(
                "sync-group-ignored",
                $"{context}: '{s.Name}' is dropped with the group (vrrp_instance {instance.Name}'s own notify commands still run); to keep it, move it to vrrp_instance {instance.Name}, where it is called with INSTANCE {instance.Name} instead of GROUP {block.Name}",
                s.Location);
        }

        instance.TrackScripts.AddRange(block.TrackScripts);
        instance.TrackInterfaces.AddRange(block.TrackInterfaces);
        instance.Interfaces.AddRange(block.TrackInterfaces.Select(t => t.Value.Interface));
        UpdateTracking(instance);
    }

    private static void UpdateTracking(InstanceConfig instance) =>
        instance.Shared = instance.Shared with
        {
            TrackChecks = instance.TrackScripts.Select(t => t.Value).ToValueList(),
            TrackInterfaces = instance.TrackInterfaces.Select(t => t.Value).ToValueList(),
        };

    /// <summary>A <c>vrrp_sync_group</c> as written, before its members are looked up.</summary>
    private sealed class SyncGroupBlock(string name, SourceLocation location)
    {
        public string Name { get; } = name;

        public SourceLocation Location { get; } = location;

        public List<Token> Members { get; } = [];

        public List<Located<TrackedCheckReference>> TrackScripts { get; } = [];

        public List<Located<TrackedInterface>> TrackInterfaces { get; } = [];

        /// <summary>The <c>track_script</c> and <c>track_interface</c> statements.</summary>
        public List<ConfigStatement> TrackBlocks { get; } = [];

        public List<ConfigStatement> NotifyStatements { get; } = [];

        public VrrpNotify? Notify { get; set; }

        public bool TrackingWeights { get; set; }
    }
}
