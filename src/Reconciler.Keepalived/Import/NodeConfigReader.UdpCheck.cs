using System.Text;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    /// <summary>UDP_CHECK's own keywords (<c>check_udp.c</c>).</summary>
    private bool ReadUdpOption(ConfigStatement s, string context, CheckerSettings settings)
    {
        switch (s.Name)
        {
            case "payload":
                if (s.Arguments.Count == 0)
                {
                    NoBlock(s);
                    Error("missing-value", $"'payload' in {context} needs a hex string (keepalived ignores it and sends its own payload)", s.Location);
                }
                else if (Hex(s, allowWildcards: false, "keepalived reports it and sends its own payload") is { } payload)
                {
                    settings.Payload = payload;
                }

                return true;
            case "require_reply":
                // Without a hex string: a reply is required, whatever it holds.
                NoBlock(s);
                settings.RequireReply = true;
                if (s.Arguments.Count > 0 && Hex(s, allowWildcards: true, "keepalived reports it and accepts any reply") is { } pattern)
                {
                    settings.ReplyPattern = pattern;
                }

                return true;
            case "min_reply_length":
                settings.MinReplyLength = s;
                settings.MinReply = Int(s, 0, ushort.MaxValue) ?? settings.MinReply;
                return true;
            case "max_reply_length":
                settings.MaxReplyLength = s;
                settings.MaxReply = Int(s, 0, ushort.MaxValue) ?? settings.MaxReply;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The UDP_CHECK's settings; null when they are keepalived's defaults.</summary>
    private UdpCheck? UdpSettings(CheckerSettings settings, string context)
    {
        if (!settings.RequireReply)
        {
            foreach (var length in new[] { settings.MinReplyLength, settings.MaxReplyLength }.OfType<ConfigStatement>())
            {
                Warning("unsupported-keyword", $"'{length.Name}' in {context} is ignored (keepalived checks a reply's length only with require_reply)", length.Location);
            }

            return settings.Payload is null ? null : UdpCheck.Default with { Payload = settings.Payload };
        }

        if (settings.MinReply > settings.MaxReply)
        {
            Error(
                "invalid-value",
                $"{context}: min_reply_length {settings.MinReply} is more than max_reply_length {settings.MaxReply}, so every reply fails (keepalived reports it too)",
                (settings.MinReplyLength ?? settings.MaxReplyLength)!.Location);
        }

        var udp = new UdpCheck(settings.Payload, true, settings.ReplyPattern, settings.MinReply, settings.MaxReply);
        return udp == UdpCheck.Default ? null : udp;
    }

    /// <summary>
    /// A hex string as keepalived reads it (all the statement's words, joined by blanks, then <c>read_hex_str</c>),
    /// in <see cref="KeepalivedHex"/>'s canonical form: two lower-case digits an octet, <c>x</c> for a wildcard
    /// nibble. A bad one is a located error: keepalived reports it and ignores the keyword (<paramref name="then"/>).
    /// </summary>
    private string? Hex(ConfigStatement statement, bool allowWildcards, string then)
    {
        NoBlock(statement);
        var text = string.Join(' ', statement.Arguments.Select(a => a.Text));
        if (!KeepalivedHex.TryParse(text, allowWildcards, out var bytes, out var mask, out var error))
        {
            Error("invalid-value", $"'{statement.Name}' is not a hex string: {error} ({then})", statement.Arguments[0].Location);
            return null;
        }

        var hex = new StringBuilder(bytes.Length * 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            hex.Append((mask[i] & 0xf0) != 0 ? 'x' : HexDigit(bytes[i] >> 4));
            hex.Append((mask[i] & 0x0f) != 0 ? 'x' : HexDigit(bytes[i] & 0x0f));
        }

        return hex.ToString();
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
