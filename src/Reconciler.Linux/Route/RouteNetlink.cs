namespace Reconciler.Linux.Route;

/// <summary>Wire constants of include/uapi/linux/rtnetlink.h, if_addr.h, if_link.h and if.h, under their spec names.</summary>
public static partial class RouteNetlink
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;

    /// <summary>sizeof(struct ifinfomsg).</summary>
    public const int IfInfoMessageLength = 16;

    /// <summary>sizeof(struct ifaddrmsg).</summary>
    public const int IfAddressMessageLength = 8;

    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_CACHEINFO = 6;
    public const ushort IFA_FLAGS = 8;

    public const uint IFA_F_SECONDARY = 0x01;
    public const uint IFA_F_NODAD = 0x02;
    public const uint IFA_F_DADFAILED = 0x08;
    public const uint IFA_F_TENTATIVE = 0x40;
    public const uint IFA_F_PERMANENT = 0x80;

    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_HOST = 254;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_CARRIER = 33;

    public const uint IFF_UP = 0x1;
    public const uint IFF_BROADCAST = 0x2;
    public const uint IFF_LOOPBACK = 0x8;
    public const uint IFF_RUNNING = 0x40;
    public const uint IFF_MULTICAST = 0x1000;
    public const uint IFF_LOWER_UP = 0x10000;

    public const int EADDRNOTAVAIL = 99;
    public const int ENODEV = 19;
}
