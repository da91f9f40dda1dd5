namespace Reconciler.Linux.Netlink;

/// <summary>Wire constants of include/uapi/linux/genetlink.h.</summary>
public static class GenericNetlink
{
    public const int GENL_HDRLEN = 4;
    public const ushort GENL_ID_CTRL = 0x10;

    public const byte CTRL_CMD_NEWFAMILY = 1;
    public const byte CTRL_CMD_GETFAMILY = 3;

    public const ushort CTRL_ATTR_FAMILY_ID = 1;
    public const ushort CTRL_ATTR_FAMILY_NAME = 2;
    public const ushort CTRL_ATTR_VERSION = 3;
}
