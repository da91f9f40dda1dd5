using System.Globalization;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A udp check's settings (<see cref="UdpCheck"/>) make a check that can pass: the payload and the reply pattern
/// are keepalived hex strings (wildcards only in the pattern) that fit a datagram, the reply lengths fit one too
/// and do not exclude each other. A reply pattern without <c>requireReply</c> is an error: keepalived writes the
/// pattern as <c>require_reply</c>'s argument, so the pair cannot be parted there, and a pattern nobody checks is a
/// mistake. The reply lengths without it only warn: keepalived takes <c>min_reply_length</c> and
/// <c>max_reply_length</c> alone and ignores them, as the probe does.
/// </summary>
public sealed class UdpCheckRule : ITopologyRule
{
    /// <summary>What one UDP datagram carries: its 16-bit length less its 8-byte header.</summary>
    public const int MaxDatagram = ushort.MaxValue - 8;

    public string Code => "udp-check";

    public void Check(ValidationContext context)
    {
        foreach (var (check, pointer) in HealthChecks.Of(context.Topology))
        {
            if (check.Kind == HealthCheckKind.Udp && check.Udp is { } udp)
            {
                CheckOne(context, udp, JsonPointer.Append(pointer, "udp"));
            }
        }
    }

    private void CheckOne(ValidationContext context, UdpCheck udp, string pointer)
    {
        if (udp.Payload is { } payload)
        {
            HexString(context, payload, allowWildcards: false, JsonPointer.Append(pointer, "payload"), "payload");
        }

        if (udp.ReplyPattern is { } pattern)
        {
            if (udp.RequireReply)
            {
                HexString(context, pattern, allowWildcards: true, JsonPointer.Append(pointer, "replyPattern"), "reply pattern");
            }
            else
            {
                context.Error(Code, JsonPointer.Append(pointer, "replyPattern"), "a reply pattern needs requireReply: true (without it no reply is read)", atKey: true);
            }
        }

        var minPointer = JsonPointer.Append(pointer, "minReplyLength");
        var maxPointer = JsonPointer.Append(pointer, "maxReplyLength");
        InRange(context, udp.MinReplyLength, minPointer, "minReplyLength");
        InRange(context, udp.MaxReplyLength, maxPointer, "maxReplyLength");
        if (!udp.RequireReply)
        {
            if (udp.MinReplyLength != TopologyDefaults.Udp.MinReplyLength)
            {
                context.Warning(Code, minPointer, "minReplyLength has no effect without requireReply: true", atKey: true);
            }

            if (udp.MaxReplyLength != TopologyDefaults.Udp.MaxReplyLength)
            {
                context.Warning(Code, maxPointer, "maxReplyLength has no effect without requireReply: true", atKey: true);
            }
        }
        else if (udp.MinReplyLength > udp.MaxReplyLength)
        {
            context.Error(Code, minPointer,
                $"minReplyLength {Number(udp.MinReplyLength)} is greater than maxReplyLength {Number(udp.MaxReplyLength)}, so no reply can pass");
        }
    }

    private void HexString(ValidationContext context, string text, bool allowWildcards, string pointer, string what)
    {
        if (!KeepalivedHex.TryParse(text, allowWildcards, out var bytes, out _, out var error))
        {
            context.Error(Code, pointer, $"the {what} is not a hex string: {error}");
        }
        else if (bytes.Length > MaxDatagram)
        {
            context.Error(Code, pointer, $"the {what} is {Number(bytes.Length)} bytes; a UDP datagram carries at most {Number(MaxDatagram)}");
        }
    }

    private void InRange(ValidationContext context, int value, string pointer, string what)
    {
        if (value is < 0 or > MaxDatagram)
        {
            context.Error(Code, pointer, $"{what} {Number(value)} is outside 0..{Number(MaxDatagram)} (a UDP datagram carries at most {Number(MaxDatagram)} bytes)");
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
