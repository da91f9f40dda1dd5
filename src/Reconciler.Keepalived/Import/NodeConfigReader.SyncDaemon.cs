using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>keepalived's <c>lvs_sync_daemon</c> (global_defs) and the deprecated <c>lvs_sync_daemon_interface</c>
/// (vrrp_instance): the instance's <see cref="ConnectionSync"/>.</summary>
internal sealed partial class NodeConfigReader
{
    private SyncDaemonConfig? _syncDaemon;

    /// <summary><c>lvs_sync_daemon IFACE [[inst] INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group ADDRESS]</c>, and the
    /// old positional form <c>IFACE INSTANCE SYNC-ID</c>.</summary>
    private void ReadSyncDaemon(ConfigStatement statement)
    {
        NoBlock(statement);
        var arguments = statement.Arguments;
        if (arguments.Count == 0)
        {
            Error("missing-value", "'lvs_sync_daemon' needs an interface", statement.Location);
            return;
        }

        var config = new SyncDaemonConfig(arguments[0].Text, statement.Location);
        var positional = 0;
        for (var i = 1; i < arguments.Count; i++)
        {
            var word = arguments[i];
            var value = i + 1 < arguments.Count ? arguments[i + 1] : null;
            switch (word.Text)
            {
                case "inst" or "id" or "maxlen" or "port" or "ttl" or "group" when value is null:
                    Error("missing-value", $"'lvs_sync_daemon': '{word.Text}' needs a value", word.Location);
                    break;
                case "inst":
                    config.Instance = new Located<string>(value!.Text, value.Location);
                    i++;
                    break;
                case "id":
                    config.SyncId = ParseInt(value!, "lvs_sync_daemon id", 0, 255);
                    i++;
                    break;
                case "maxlen":
                    config.MaxLength = ParseInt(value!, "lvs_sync_daemon maxlen", 1, 65507);
                    i++;
                    break;
                case "port":
                    config.Port = ParseInt(value!, "lvs_sync_daemon port", 1, 65535);
                    i++;
                    break;
                case "ttl":
                    config.Ttl = ParseInt(value!, "lvs_sync_daemon ttl", 1, 255);
                    i++;
                    break;
                case "group":
                    config.Group = Address(value!, "lvs_sync_daemon group");
                    i++;
                    break;
                default:
                    positional++;
                    if (positional == 1 && config.Instance is null)
                    {
                        config.Instance = new Located<string>(word.Text, word.Location);
                    }
                    else if (positional == 2 && config.SyncId is null)
                    {
                        config.SyncId = ParseInt(word, "lvs_sync_daemon sync id", 0, 255);
                    }
                    else
                    {
                        Dropped(word, "lvs_sync_daemon", "unexpected argument");
                    }

                    break;
            }
        }

        _syncDaemon = config;
    }

    /// <summary>The deprecated <c>lvs_sync_daemon_interface IFACE</c> in a vrrp_instance: that instance's sync daemon on
    /// IFACE (a global <c>lvs_sync_daemon</c> wins, as in keepalived).</summary>
    private void ReadSyncDaemonInterface(ConfigStatement statement, string instance)
    {
        if (Word(statement) is { } name && _syncDaemon is null)
        {
            _syncDaemon = new SyncDaemonConfig(name.Text, statement.Location) { Instance = new Located<string>(instance, statement.Location) };
        }
    }

    /// <summary>Gives the instance the daemon names (or, when it names none, the node's first instance) its
    /// <see cref="ConnectionSync"/>. keepalived without an instance runs both daemons with sync id 0 for as long as it
    /// runs; the topology ties connection sync to an instance, whose nodes run both daemons, so the import keeps
    /// keepalived's sync id 0 explicitly and says which instance it chose.</summary>
    private void AttachSyncDaemon()
    {
        if (_syncDaemon is not { } config)
        {
            return;
        }

        InstanceConfig? instance;
        int? syncId = config.SyncId;
        if (config.Instance is { } named)
        {
            instance = _node.Instances.FirstOrDefault(i => i.Name == named.Value);
            if (instance is null)
            {
                Error("unknown-instance", $"'lvs_sync_daemon' names vrrp_instance '{named.Value}', which this file does not define", named.Location);
                return;
            }
        }
        else
        {
            instance = _node.Instances.FirstOrDefault();
            if (instance is null)
            {
                Warning("unsupported-keyword", "'lvs_sync_daemon' without a vrrp_instance is ignored: the topology synchronises connections between the nodes of a VRRP instance", config.Location);
                return;
            }

            syncId ??= 0;
            if (_node.Instances.Count > 1)
            {
                Warning(
                    "sync-daemon-instance",
                    $"'lvs_sync_daemon' names no vrrp_instance; the topology ties connection sync to one, and the import chose the first, {instance.Name} (sync id {syncId}): every node of it runs both daemons",
                    config.Location);
            }
        }

        var interfaceName = config.Interface == instance.Interface?.Value ? null : config.Interface;
        var sync = new ConnectionSync(interfaceName, syncId == instance.Shared.VirtualRouterId ? null : syncId, config.MaxLength, config.Port, config.Ttl, config.Group);
        instance.Shared = instance.Shared with { ConnectionSync = sync };
    }

    private sealed class SyncDaemonConfig(string interfaceName, Topology.Diagnostics.SourceLocation location)
    {
        public string Interface { get; } = interfaceName;

        public Topology.Diagnostics.SourceLocation Location { get; } = location;

        public Located<string>? Instance { get; set; }

        public int? SyncId { get; set; }

        public int? MaxLength { get; set; }

        public int? Port { get; set; }

        public int? Ttl { get; set; }

        public System.Net.IPAddress? Group { get; set; }
    }
}
