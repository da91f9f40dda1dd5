namespace Reconciler.Linux.Route;

/// <summary>Wire constants of include/uapi/linux/if_link.h for creating and deleting links, under their spec names.</summary>
public static class LinkNetlink
{
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_LINKINFO = 18;

    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;

    public const ushort IFLA_MACVLAN_MODE = 1;

    public const uint MACVLAN_MODE_PRIVATE = 1;
    public const uint MACVLAN_MODE_VEPA = 2;
    public const uint MACVLAN_MODE_BRIDGE = 4;
    public const uint MACVLAN_MODE_PASSTHRU = 8;

    public const string KindMacvlan = "macvlan";
}
