using System.Net.Sockets;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    private VrrpAuthentication? ReadAuthentication(ConfigStatement statement, string context)
    {
        string? type = null;
        string? password = null;
        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "auth_type":
                    if (Word(s) is { } t)
                    {
                        type = t.Text;
                        if (type == "AH")
                        {
                            Warning("unsupported-keyword", $"{context}: 'auth_type AH' (IPsec AH) is not supported; the instance is imported without authentication", t.Location);
                        }
                        else if (type != "PASS")
                        {
                            Error("invalid-value", $"'auth_type' is PASS or AH, not '{t.Text}'", t.Location);
                        }
                    }

                    break;
                case "auth_pass":
                    if (Word(s) is { } p)
                    {
                        password = p.Text;
                        if (password.Length > 8)
                        {
                            Warning("auth-pass-truncated", $"{context}: auth_pass is cut to its first 8 characters, as keepalived sends it", p.Location);
                            password = password[..8];
                        }
                    }

                    break;
                default:
                    Unsupported(s, $"{context} authentication");
                    break;
            }
        }

        if (type == "PASS")
        {
            if (password is null)
            {
                Error("missing-value", $"{context}: 'auth_type PASS' needs 'auth_pass'", statement.Location);
                return null;
            }

            return new VrrpAuthentication(password, null);
        }

        return null;
    }

    private static readonly HashSet<string> VipOptionsWithValue = new(StringComparer.Ordinal)
    {
        "brd", "broadcast", "scope", "label", "preferred_lft", "track_group", "peer",
    };

    private void ReadVirtualAddresses(ConfigStatement statement, string context, List<(InterfaceAddress, Token?)> vips, Dictionary<string, string> labels)
    {
        if (statement.Name == "virtual_ipaddress_excluded" && statement.Block is { Count: > 0 })
        {
            Warning(
                "vip-excluded-merged",
                $"{context}: virtual_ipaddress_excluded addresses are imported as ordinary virtual addresses (the topology does not leave addresses out of adverts)",
                statement.Location);
        }

        foreach (var entry in Block(statement))
        {
            if (entry.HasBlock)
            {
                Error("syntax", $"{context}: a virtual address does not take a {{ }} block", entry.Location);
                continue;
            }

            if (!InterfaceAddress.TryParse(entry.Name, out var address))
            {
                Error("invalid-value", $"{context}: '{entry.Name}' is not an address or address/prefix", entry.Location);
                continue;
            }

            Token? device = null;
            var keep = true;
            for (var i = 0; i < entry.Arguments.Count; i++)
            {
                var option = entry.Arguments[i];
                if (option.Text == "dev" && i + 1 < entry.Arguments.Count)
                {
                    device = entry.Arguments[++i];
                }
                else if (option.Text == "label" && i + 1 < entry.Arguments.Count)
                {
                    keep &= ReadLabel(address, entry.Arguments[++i], context, labels);
                }
                else if (VipOptionsWithValue.Contains(option.Text) && i + 1 < entry.Arguments.Count)
                {
                    Dropped(option, context, $"address option '{option.Text} {entry.Arguments[i + 1].Text}' is not supported");
                    i++;
                }
                else
                {
                    Dropped(option, context, $"address option '{option.Text}' is not supported");
                }
            }

            if (keep)
            {
                vips.Add((address, device));
            }
        }
    }

    /// <summary>keepalived's <c>label NAME</c> on a virtual address: the kernel's IFA_LABEL, IPv4 only (keepalived 2.2.7
    /// ignores it on IPv6). A label over 15 characters makes keepalived remove the whole address: so does the import,
    /// and it returns false.</summary>
    private bool ReadLabel(InterfaceAddress address, Token label, string context, Dictionary<string, string> labels)
    {
        if (address.Family != AddressFamily.InterNetwork)
        {
            Dropped(label, context, $"address {address} is IPv6, and only IPv4 addresses have labels (keepalived ignores it too)");
        }
        else if (label.Text.Length > VirtualMac.MaxNameLength)
        {
            Warning("invalid-value", $"{context}: label '{label.Text}' is longer than {VirtualMac.MaxNameLength} characters; keepalived removes the address {address}, and so does the import", label.Location);
            return false;
        }
        else
        {
            labels[address.Address.ToString()] = label.Text;
        }

        return true;
    }
}
