using System.Globalization;
using System.Net;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// Maps one node's parsed keepalived.conf onto topology records. Every keyword the topology cannot express is
/// reported as an <c>unsupported-keyword</c> warning at its location; invalid values are located errors.
/// </summary>
internal sealed partial class NodeConfigReader
{
    private readonly NodeConfig _node;
    private readonly ICollection<Diagnostic> _diagnostics;
    private int? _globalVrrpVersion;
    private int? _globalGarpRepeat;
    private TimeSpan? _globalGarpDelay;

    private NodeConfigReader(string file, ICollection<Diagnostic> diagnostics)
    {
        _node = new NodeConfig(file);
        _diagnostics = diagnostics;
    }

    public static NodeConfig Read(string file, IReadOnlyList<ConfigStatement> statements, ICollection<Diagnostic> diagnostics)
    {
        var reader = new NodeConfigReader(file, diagnostics);
        reader.ReadRoot(statements);
        return reader._node;
    }

    private void ReadRoot(IReadOnlyList<ConfigStatement> statements)
    {
        _node.IsEmpty = statements.Count == 0;

        // Globals first: keepalived applies vrrp_version and the garp defaults wherever global_defs stands.
        foreach (var statement in statements.Where(s => s.Name == "global_defs"))
        {
            ReadGlobalDefs(statement);
        }

        ResolveMail();

        foreach (var statement in statements)
        {
            switch (statement.Name)
            {
                case "global_defs":
                    break;
                case "vrrp_script":
                    ReadVrrpScript(statement);
                    break;
                case "track_file":
                case "vrrp_track_file":
                    ReadTrackFile(statement);
                    break;
                case "vrrp_instance":
                    ReadVrrpInstance(statement);
                    break;
                case "virtual_server":
                    ReadVirtualServer(statement);
                    break;
                case "vrrp_sync_group":
                    ReadVrrpSyncGroup(statement);
                    break;
                case "virtual_server_group":
                    ReadVirtualServerGroup(statement);
                    break;
                case "static_ipaddress":
                    ReadStaticAddresses(statement, _node.StaticAddresses, _node.NetworkInterfaces);
                    break;
                case "static_routes":
                    _node.StaticRoutes.AddRange(ReadRoutes(statement, "static_routes", tracked: false, _node.NetworkInterfaces));
                    break;
                case "static_rules":
                    _node.StaticRules.AddRange(ReadRules(statement, "static_rules", tracked: false, _node.NetworkInterfaces));
                    break;
                default:
                    Unsupported(statement, "top level");
                    break;
            }
        }

        ResolveSyncGroups();
        ReadGroupVirtualServers();
        AttachSyncDaemon();
    }

    private void ReadGlobalDefs(ConfigStatement statement)
    {
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "router_id":
                    if (Word(s) is { } id)
                    {
                        _node.RouterId = new Located<string>(id.Text, id.Location);
                    }

                    break;
                case "vrrp_version":
                    if (Int(s, 2, 3) is { } version)
                    {
                        _globalVrrpVersion = version;
                    }

                    break;
                case "vrrp_garp_master_delay":
                    if (Seconds(s, 0, 1000) is { } delay)
                    {
                        _globalGarpDelay = delay;
                    }

                    break;
                case "vrrp_garp_master_repeat":
                    if (Int(s, 1, 255) is { } repeat)
                    {
                        _globalGarpRepeat = repeat;
                    }

                    break;
                case "lvs_sync_daemon":
                    ReadSyncDaemon(s);
                    break;
                case var _ when ReadMailGlobal(s):
                    break;
                default:
                    Unsupported(s, "global_defs");
                    break;
            }
        }
    }

    // ---- diagnostics ----

    private void Error(string code, string message, SourceLocation location)
    {
        if (!_quiet)
        {
            _diagnostics.Add(Diagnostic.Error(code, message, location));
        }
    }

    private void Warning(string code, string message, SourceLocation location)
    {
        if (!_quiet)
        {
            _diagnostics.Add(Diagnostic.Warning(code, message, location));
        }
    }

    private void Unsupported(ConfigStatement statement, string context, string? why = null)
    {
        // A quoted word may be empty ("" or a lone "), so a statement's name may be too.
        why ??= statement.Name.FirstOrDefault() switch
        {
            '$' => "keepalived's parameter definitions ($NAME=...) are not supported",
            '~' => "keepalived's ~SEQ expansion is not supported",
            _ => KeywordAdvice.GetValueOrDefault(statement.Name),
        };
        Warning(
            "unsupported-keyword",
            $"'{statement.Name}' in {context} is not supported by the topology and is ignored" + (why is null ? string.Empty : $" ({why})"),
            statement.Location);
    }

    /// <summary>Why a keyword the topology has no place for is dropped, and what to do instead.</summary>
    private static readonly Dictionary<string, string> KeywordAdvice = new(StringComparer.Ordinal)
    {
        ["enable_script_security"] = "commands from the topology always run as the agent's scripts.user, never as root unless scripts.runAsRoot",
        ["script_user"] = "commands from the topology run as the agent's scripts.user setting",
        ["garp_master_refresh"] = "gratuitous ARP is sent on becoming MASTER (garp: count, repeatCount), not periodically",
        ["garp_master_refresh_repeat"] = "gratuitous ARP is sent on becoming MASTER (garp: count, repeatCount), not periodically",
        ["dont_track_primary"] = "the instance's own interface is always tracked: its link down is FAULT",
        ["BFD_CHECK"] = "BFD is not supported: a tcp or exec check",
        ["lvs_flush"] = "the agent changes only what the topology declares and leaves the rest of the table alone",
        ["lvs_flush_onstop"] = "the agent's cleanupOnStop removes what it applied when it stops",
    };

    private void Dropped(Token token, string context, string why) =>
        Warning("unsupported-keyword", $"'{token.Text}' in {context} is ignored ({why})", token.Location);

    // ---- statement shape ----

    private IReadOnlyList<ConfigStatement> Block(ConfigStatement statement)
    {
        if (statement.Block is { } block)
        {
            return block;
        }

        Error("syntax", $"'{statement.Name}' needs a {{ }} block", statement.Location);
        return [];
    }

    private void NoBlock(ConfigStatement statement)
    {
        if (statement.HasBlock)
        {
            Error("syntax", $"'{statement.Name}' does not take a {{ }} block", statement.Location);
        }
    }

    /// <summary>The first argument, with a located error when missing; extra arguments are warned about.</summary>
    private Token? Word(ConfigStatement statement, int expected = 1)
    {
        NoBlock(statement);
        if (statement.Arguments.Count == 0)
        {
            Error("missing-value", $"'{statement.Name}' needs a value", statement.Location);
            return null;
        }

        ExtraArguments(statement, expected);
        return statement.Arguments[0];
    }

    private void ExtraArguments(ConfigStatement statement, int expected)
    {
        if (statement.Arguments.Count > expected)
        {
            var extra = statement.Arguments[expected];
            Warning("unsupported-argument", $"'{statement.Name}': '{extra.Text}' and anything after it are ignored", extra.Location);
        }
    }

    private int? Int(ConfigStatement statement, long min, long max) =>
        Word(statement) is { } token ? ParseInt(token, statement.Name, min, max) : null;

    private int? ParseInt(Token token, string what, long min, long max)
    {
        if (long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return (int)value;
        }

        Error("invalid-value", $"'{what}' must be a whole number from {min} to {max}, not '{token.Text}'", token.Location);
        return null;
    }

    private uint? UInt(ConfigStatement statement)
    {
        if (Word(statement) is not { } token)
        {
            return null;
        }

        if (uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error("invalid-value", $"'{statement.Name}' must be a whole number, not '{token.Text}'", token.Location);
        return null;
    }

    /// <summary>keepalived timers: seconds, with up to six decimals.</summary>
    private TimeSpan? Seconds(ConfigStatement statement, decimal min, decimal max) =>
        Word(statement) is { } token ? ParseSeconds(token, statement.Name, min, max) : null;

    private TimeSpan? ParseSeconds(Token token, string what, decimal min, decimal max)
    {
        if (decimal.TryParse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return TimeSpan.FromTicks((long)decimal.Round(value * TimeSpan.TicksPerSecond));
        }

        Error("invalid-value", $"'{what}' must be a number of seconds from {min} to {max}, not '{token.Text}'", token.Location);
        return null;
    }

    private IPAddress? Address(Token token, string what)
    {
        if (IPAddress.TryParse(token.Text, out var address) && !token.Text.Contains('%', StringComparison.Ordinal) &&
            (token.Text.Contains('.', StringComparison.Ordinal) || token.Text.Contains(':', StringComparison.Ordinal)))
        {
            return address;
        }

        Error("invalid-value", $"'{what}' needs an IP address, not '{token.Text}'", token.Location);
        return null;
    }

    private int? Port(Token token, string what) => ParseInt(token, what, 0, 65535);

    /// <summary><c>yes</c>/<c>no</c>-style flag: no argument means true.</summary>
    private bool Flag(ConfigStatement statement)
    {
        NoBlock(statement);
        if (statement.Arguments.Count == 0)
        {
            return true;
        }

        ExtraArguments(statement, 1);
        var text = statement.Arguments[0].Text.ToLowerInvariant();
        switch (text)
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Error("invalid-value", $"'{statement.Name}' takes true or false, not '{statement.Arguments[0].Text}'", statement.Arguments[0].Location);
                return true;
        }
    }

    /// <summary>A command line as keepalived runs it: all words of the statement, each split on blanks outside quotes.</summary>
    private ValueList<string> Command(ConfigStatement statement)
    {
        NoBlock(statement);
        var words = new List<string>();
        foreach (var token in statement.Arguments)
        {
            words.AddRange(CommandLine.Split(token.Text));
        }

        if (words.Count == 0)
        {
            Error("missing-value", $"'{statement.Name}' needs a command", statement.Location);
        }

        return words.ToValueList();
    }

    /// <summary>A notify command as one string: a quoted command is taken whole (keepalived reads words after it as
    /// the user to run it as, which the topology drops); unquoted words are joined.</summary>
    private string? NotifyCommand(ConfigStatement statement, string context)
    {
        NoBlock(statement);
        if (statement.Arguments.Count == 0)
        {
            Error("missing-value", $"'{statement.Name}' needs a command", statement.Location);
            return null;
        }

        if (statement.Arguments[0].Quoted)
        {
            if (statement.Arguments.Count > 1)
            {
                Dropped(statement.Arguments[1], context, "the user and group to run notify scripts as are not supported");
            }

            return statement.Arguments[0].Text;
        }

        return string.Join(' ', statement.Arguments.Select(a => a.Text));
    }
}
