using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Keepalived.Parsing;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// <c>virtual_server_group NAME { IP PORT | IP-LAST PORT | fwmark N ... }</c> and <c>virtual_server group NAME { ... }</c>:
/// keepalived creates one IPVS service per member, each with the virtual server's settings and real servers. The
/// topology has no group: the importer writes those services out, one per member, so the kernel's table is the one
/// keepalived builds (a warning at the virtual server says so). An IPv4 range (<c>10.0.0.1-3 80</c>) covers the last
/// byte, as keepalived's does.
/// </summary>
internal sealed partial class NodeConfigReader
{
    /// <summary>Where no one member may lead: a group that would fill the table with services by mistake.</summary>
    private const int MaxGroupMembers = 1024;

    private sealed record GroupMember(IPAddress? Address, int? Port, uint? Mark);

    private readonly Dictionary<string, (List<GroupMember> Members, ConfigStatement Statement)> _groups = new(StringComparer.Ordinal);
    private readonly List<ConfigStatement> _groupServers = [];

    /// <summary>While set, findings are not recorded: a group's virtual server is read once per member, and its
    /// findings are the first member's.</summary>
    private bool _quiet;

    private void ReadVirtualServerGroup(ConfigStatement statement)
    {
        if (statement.Arguments.Count == 0)
        {
            Error("missing-value", "'virtual_server_group' needs a name", statement.Location);
            return;
        }

        var name = statement.Arguments[0].Text;
        ExtraArguments(statement, 1);
        if (_groups.ContainsKey(name))
        {
            Error("duplicate-name", $"virtual_server_group {name} is defined twice", statement.Location);
            return;
        }

        var members = new List<GroupMember>();
        foreach (var line in Block(statement))
        {
            if (line.Name == "fwmark")
            {
                if (line.Arguments.Count == 0 || !uint.TryParse(line.Arguments[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var mark) || mark == 0)
                {
                    Error("invalid-value", $"virtual_server_group {name}: 'fwmark' needs a mark (1..4294967295)", line.Location);
                    continue;
                }

                ExtraArguments(line, 1);
                members.Add(new GroupMember(null, null, mark));
                continue;
            }

            if (line.Arguments.Count == 0)
            {
                Error("missing-value", $"virtual_server_group {name}: '{line.Name}' needs a port after the address", line.Location);
                continue;
            }

            var port = Port(line.Arguments[0], $"virtual_server_group {name} port");
            ExtraArguments(line, 1);
            if (port is null || Range(line.Keyword, name) is not { } addresses)
            {
                continue;
            }

            members.AddRange(addresses.Select(a => new GroupMember(a, port, null)));
        }

        if (members.Count > MaxGroupMembers)
        {
            Error("invalid-value", $"virtual_server_group {name} has {members.Count} members; at most {MaxGroupMembers}", statement.Location);
            return;
        }

        _groups[name] = (members, statement);
    }

    /// <summary><c>10.0.0.1</c>, or <c>10.0.0.1-3</c>: 10.0.0.1, .2 and .3.</summary>
    private List<IPAddress>? Range(Token token, string group)
    {
        var text = token.Text;
        var dash = text.LastIndexOf('-');
        if (dash < 0)
        {
            return Address(token, $"virtual_server_group {group}") is { } single ? [single] : null;
        }

        if (!IPAddress.TryParse(text[..dash], out var first) || first.AddressFamily != AddressFamily.InterNetwork
            || !byte.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first.GetAddressBytes()[3])
        {
            Error("invalid-value", $"virtual_server_group {group}: '{text}' is not an address or an IPv4 range (10.0.0.1-3: the last byte from 1 to 3)", token.Location);
            return null;
        }

        var bytes = first.GetAddressBytes();
        var addresses = new List<IPAddress>();
        for (int b = bytes[3]; b <= last; b++)
        {
            addresses.Add(new IPAddress([bytes[0], bytes[1], bytes[2], (byte)b]));
        }

        return addresses;
    }

    /// <summary>Each <c>virtual_server group NAME</c>, once every group is known (keepalived accepts them in any
    /// order): one service per member.</summary>
    private void ReadGroupVirtualServers()
    {
        foreach (var statement in _groupServers)
        {
            var name = statement.Arguments.Count > 1 ? statement.Arguments[1].Text : null;
            if (name is null)
            {
                Error("missing-value", "'virtual_server group' needs the group's name", statement.Location);
                continue;
            }

            ExtraArguments(statement, 2);
            if (!_groups.TryGetValue(name, out var group))
            {
                Error("unknown-reference", $"virtual_server group {name}: no virtual_server_group {name} is defined", statement.Arguments[1].Location);
                continue;
            }

            if (group.Members.Count == 0)
            {
                Warning("unsupported-keyword", $"virtual_server group {name}: the group has no members, so there is no service to import", statement.Location);
                continue;
            }

            Warning(
                "virtual-server-group",
                $"virtual_server group {name}: imported as {group.Members.Count} service{(group.Members.Count == 1 ? "" : "s")}, one per member of virtual_server_group {name} at {group.Statement.Location}, as keepalived creates them in the kernel; "
                + "each checks its real servers on its own (keepalived's members share one set of checks)",
                statement.Location);
            for (int i = 0; i < group.Members.Count; i++)
            {
                var member = group.Members[i];
                _quiet = i > 0;
                try
                {
                    ReadVirtualServerBody(statement, member.Address, member.Port, member.Mark, $"virtual_server group {name} ({Describe(member)})");
                }
                finally
                {
                    _quiet = false;
                }
            }
        }
    }

    private static string Describe(GroupMember member) => member.Mark is { } mark
        ? $"fwmark {mark.ToString(CultureInfo.InvariantCulture)}"
        : $"{member.Address} {member.Port?.ToString(CultureInfo.InvariantCulture)}";
}
