using System.Buffers.Binary;

namespace Reconciler.Linux.Netlink;

/// <summary>The payload of an NLMSG_ERROR (struct nlmsgerr): errno 0 is an ack.</summary>
public readonly record struct NetlinkError(int Errno, uint RequestSequence, string? KernelMessage)
{
    public bool IsAck => Errno == 0;

    public static NetlinkError Parse(NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < 4 + NetlinkMessageHeader.Size)
        {
            throw new NetlinkProtocolException($"NLMSG_ERROR of {payload.Length} bytes");
        }

        int error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var request = NetlinkMessageHeader.Read(payload[4..]);
        string? text = null;
        if ((message.Header.Flags & NetlinkConstants.NLM_F_ACK_TLVS) != 0)
        {
            // The request follows whole unless NLM_F_CAPPED says only its header is there.
            // The echoed length is the kernel's word: in long arithmetic, so a bogus one cannot wrap past the check.
            long requestLength = (message.Header.Flags & NetlinkConstants.NLM_F_CAPPED) != 0
                ? NetlinkMessageHeader.Size
                : (request.Length + (long)NetlinkConstants.NLMSG_ALIGNTO - 1) & ~(long)(NetlinkConstants.NLMSG_ALIGNTO - 1);
            long offset = 4 + requestLength;
            if (offset <= payload.Length)
            {
                var attributes = new NetlinkAttributeReader(payload[(int)offset..]);
                while (attributes.TryRead(out var attribute))
                {
                    if (attribute.Type == NetlinkConstants.NLMSGERR_ATTR_MSG)
                    {
                        text = attribute.GetString();
                    }
                }
            }
        }

        return new NetlinkError(-error, request.Sequence, text);
    }
}
