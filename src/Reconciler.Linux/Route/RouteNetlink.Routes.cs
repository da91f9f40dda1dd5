namespace Reconciler.Linux.Route;

/// <summary>Wire constants for routes (struct rtmsg, rtnetlink.h) and policy rules (struct fib_rule_hdr, fib_rules.h).</summary>
public static partial class RouteNetlink
{
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWRULE = 32;
    public const ushort RTM_DELRULE = 33;
    public const ushort RTM_GETRULE = 34;

    /// <summary>sizeof(struct rtmsg).</summary>
    public const int RouteMessageLength = 12;

    /// <summary>sizeof(struct fib_rule_hdr).</summary>
    public const int RuleMessageLength = 12;

    public const ushort RTA_DST = 1;
    public const ushort RTA_SRC = 2;
    public const ushort RTA_IIF = 3;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_METRICS = 8;
    public const ushort RTA_MULTIPATH = 9;
    public const ushort RTA_TABLE = 15;

    public const byte RT_TABLE_UNSPEC = 0;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RT_TABLE_LOCAL = 255;

    public const byte RTN_UNSPEC = 0;
    public const byte RTN_UNICAST = 1;
    public const byte RTN_LOCAL = 2;
    public const byte RTN_BROADCAST = 3;
    public const byte RTN_ANYCAST = 4;
    public const byte RTN_MULTICAST = 5;
    public const byte RTN_BLACKHOLE = 6;
    public const byte RTN_UNREACHABLE = 7;
    public const byte RTN_PROHIBIT = 8;
    public const byte RTN_THROW = 9;

    public const byte RT_SCOPE_SITE = 200;
    public const byte RT_SCOPE_NOWHERE = 255;

    public const byte RTPROT_UNSPEC = 0;
    public const byte RTPROT_KERNEL = 2;
    public const byte RTPROT_BOOT = 3;
    public const byte RTPROT_STATIC = 4;
    public const byte RTPROT_KEEPALIVED = 18;

    /// <summary>
    /// The routing protocol number (rtm_protocol, FRA_PROTOCOL) reconciler marks its routes and rules with, so
    /// <c>ip route show proto 82</c> and our own dumps tell them from everyone else's. Not keepalived's 18: on a node
    /// that moves from keepalived to reconciler (or runs both for a while), neither must take the other's routes for
    /// its own. 82 is 'R', and neither include/uapi/linux/rtnetlink.h nor iproute2's rt_protos assigns it.
    /// </summary>
    public const byte RTPROT_RECONCILER = 82;

    /// <summary>rtm_flags / rtnh_flags: the gateway is on-link whatever the interface's prefixes say.</summary>
    public const uint RTNH_F_ONLINK = 4;

    /// <summary>rtm_flags of a cached (cloned) IPv6 route: not part of the table.</summary>
    public const uint RTM_F_CLONED = 0x200;

    public const ushort FRA_DST = 1;
    public const ushort FRA_SRC = 2;
    public const ushort FRA_IIFNAME = 3;
    public const ushort FRA_GOTO = 4;
    public const ushort FRA_PRIORITY = 6;
    public const ushort FRA_FWMARK = 10;
    public const ushort FRA_TABLE = 15;
    public const ushort FRA_FWMASK = 16;
    public const ushort FRA_OIFNAME = 17;
    public const ushort FRA_PROTOCOL = 21;

    public const byte FR_ACT_UNSPEC = 0;
    public const byte FR_ACT_TO_TBL = 1;
    public const byte FR_ACT_GOTO = 2;
    public const byte FR_ACT_NOP = 3;
    public const byte FR_ACT_BLACKHOLE = 6;
    public const byte FR_ACT_UNREACHABLE = 7;
    public const byte FR_ACT_PROHIBIT = 8;

    public const int ESRCH = 3;
    public const int ENOENT = 2;
}
