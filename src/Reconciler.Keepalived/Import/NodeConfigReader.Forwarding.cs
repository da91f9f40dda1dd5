using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    private int? GranularityPrefix(Token token, AddressFamily family)
    {
        if (family == AddressFamily.InterNetworkV6 || !token.Text.Contains('.', StringComparison.Ordinal))
        {
            return ParseInt(token, "persistence_granularity", 1, 128);
        }

        if (!IPAddress.TryParse(token.Text, out var mask) || mask.AddressFamily != AddressFamily.InterNetwork)
        {
            Error("invalid-value", $"'persistence_granularity' needs a netmask such as 255.255.255.0, not '{token.Text}'", token.Location);
            return null;
        }

        var bits = BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        var prefix = BitOperations.LeadingZeroCount(~bits);
        if (prefix < 32 && bits << prefix != 0)
        {
            Error("invalid-value", $"'persistence_granularity' {token.Text} is not a contiguous netmask; the topology needs a prefix length", token.Location);
            return null;
        }

        return prefix;
    }

    /// <summary><c>lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [csum|nocsum|remcsum]</c>.</summary>
    private (Forwarding Forwarding, TunnelSettings? Tunnel)? ReadForwarding(ConfigStatement s, string context)
    {
        if (Word(s, expected: int.MaxValue) is not { } method)
        {
            return null;
        }

        Forwarding forwarding;
        switch (method.Text)
        {
            case "NAT":
                forwarding = Forwarding.Nat;
                break;
            case "DR":
                forwarding = Forwarding.DirectRouting;
                break;
            case "TUN":
                forwarding = Forwarding.Tunnel;
                break;
            default:
                Error("invalid-value", $"'{s.Name}' is NAT, DR or TUN, not '{method.Text}'", method.Location);
                return null;
        }

        if (forwarding != Forwarding.Tunnel)
        {
            ExtraArguments(s, 1);
            return (forwarding, null);
        }

        var type = TunnelType.Ipip;
        int? port = null;
        bool checksum = false, remote = false;
        var args = s.Arguments;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i].Text)
            {
                case "type" when i + 1 < args.Count:
                    switch (args[++i].Text)
                    {
                        case "ipip":
                            type = TunnelType.Ipip;
                            break;
                        case "gue":
                            type = TunnelType.Gue;
                            break;
                        case "gre":
                            type = TunnelType.Gre;
                            break;
                        default:
                            Error("invalid-value", $"tunnel type is ipip, gue or gre, not '{args[i].Text}'", args[i].Location);
                            return null;
                    }

                    break;
                case "port" when i + 1 < args.Count:
                    port = Port(args[++i], "tunnel port");
                    break;
                case "csum":
                    checksum = true;
                    remote = false;
                    break;
                case "nocsum":
                    checksum = false;
                    remote = false;
                    break;
                case "remcsum":
                    remote = true;
                    checksum = false;
                    break;
                default:
                    Error("invalid-value", $"{context}: unknown tunnel option '{args[i].Text}'", args[i].Location);
                    return null;
            }
        }

        if ((type == TunnelType.Gue) != (port is not null))
        {
            Error("invalid-value", $"{context}: gue tunnels need a port, and other tunnels take none", s.Location);
            return null;
        }

        return (forwarding, new TunnelSettings(type, port, checksum, remote));
    }
}
