namespace Reconciler.Linux.Netlink;

/// <summary>Wire constants of include/uapi/linux/netlink.h, under their spec names.</summary>
public static class NetlinkConstants
{
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_GENERIC = 16;

    public const int NLMSG_ALIGNTO = 4;
    public const int NLMSG_HDRLEN = 16;
    public const int NLA_HDRLEN = 4;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
    public const ushort NLMSG_MIN_TYPE = 0x10;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_ECHO = 0x8;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;

    /// <summary>In an NLMSG_ERROR: the original request was cut to its header.</summary>
    public const ushort NLM_F_CAPPED = 0x100;

    /// <summary>In an NLMSG_ERROR: extended-ack attributes follow.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;
    public const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

    public static int Align(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
