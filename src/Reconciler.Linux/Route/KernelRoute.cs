using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// One route as rtnetlink carries it (struct rtmsg and its attributes), for RTM_NEWROUTE, RTM_DELROUTE and dump
/// entries. The interface is an index; <see cref="RtnetlinkNodeRoutes"/> maps names.
/// </summary>
/// <param name="Family">rtm_family (AF_INET, AF_INET6).</param>
/// <param name="Destination">RTA_DST with rtm_dst_len (absent: the default route, 0.0.0.0/0 or ::/0).</param>
/// <param name="Table">RTA_TABLE, else rtm_table.</param>
/// <param name="Protocol">rtm_protocol: who added it (<see cref="RouteNetlink.RTPROT_RECONCILER"/> for ours).</param>
/// <param name="Scope">rtm_scope (<see cref="RouteNetlink.RT_SCOPE_NOWHERE"/> in a delete: any).</param>
/// <param name="Type">rtm_type (RTN_UNICAST, RTN_BLACKHOLE, ...).</param>
/// <param name="Flags">rtm_flags (<see cref="RouteNetlink.RTNH_F_ONLINK"/>).</param>
/// <param name="Gateway">RTA_GATEWAY, or null.</param>
/// <param name="OutputInterface">RTA_OIF, or 0: none.</param>
/// <param name="PreferredSource">RTA_PREFSRC, or null.</param>
/// <param name="Priority">RTA_PRIORITY (the metric), or null: not sent (IPv4 dumps leave out 0).</param>
public sealed record KernelRoute(
    byte Family,
    InterfaceAddress Destination,
    uint Table,
    byte Protocol,
    byte Scope,
    byte Type,
    uint Flags,
    IPAddress? Gateway,
    int OutputInterface,
    IPAddress? PreferredSource,
    uint? Priority)
{
    public bool OnLink => (Flags & RouteNetlink.RTNH_F_ONLINK) != 0;

    public override string ToString() =>
        $"{(Type == RouteNetlink.RTN_UNICAST ? "" : $"type {Type} ")}{Destination}{(Gateway is null ? "" : $" via {Gateway}")}" +
        $"{(OutputInterface == 0 ? "" : $" oif {OutputInterface}")} table {Table} proto {Protocol} scope {Scope}" +
        $"{(PreferredSource is null ? "" : $" src {PreferredSource}")}{(Priority is null ? "" : $" metric {Priority}")}{(OnLink ? " onlink" : "")}";
}

/// <summary>
/// One policy routing rule as rtnetlink carries it (struct fib_rule_hdr and its attributes).
/// </summary>
/// <param name="Family">fib_rule_hdr.family (AF_INET, AF_INET6).</param>
/// <param name="Source">FRA_SRC with src_len, or null: any.</param>
/// <param name="Destination">FRA_DST with dst_len, or null: any.</param>
/// <param name="Priority">FRA_PRIORITY, or null (in a request: the kernel picks one; a dump leaves out 0).</param>
/// <param name="Action">fib_rule_hdr.action (FR_ACT_TO_TBL, FR_ACT_GOTO, ...).</param>
/// <param name="Table">FRA_TABLE, else fib_rule_hdr.table; 0 for actions other than a table lookup.</param>
/// <param name="Goto">FRA_GOTO, or null.</param>
/// <param name="Mark">FRA_FWMARK, or null.</param>
/// <param name="Mask">FRA_FWMASK, or null (the kernel's default: all bits when a mark is given).</param>
/// <param name="InputInterface">FRA_IIFNAME, or null.</param>
/// <param name="OutputInterface">FRA_OIFNAME, or null.</param>
/// <param name="Protocol">FRA_PROTOCOL (since Linux 4.17; 0 when absent).</param>
public sealed record KernelRule(
    byte Family,
    InterfaceAddress? Source,
    InterfaceAddress? Destination,
    uint? Priority,
    byte Action,
    uint Table,
    uint? Goto,
    uint? Mark,
    uint? Mask,
    string? InputInterface,
    string? OutputInterface,
    byte Protocol)
{
    public override string ToString() =>
        $"{(Priority is null ? "" : $"{Priority}: ")}from {Source?.ToString() ?? "all"}{(Destination is null ? "" : $" to {Destination}")}" +
        $"{(Mark is null ? "" : $" fwmark 0x{Mark:x}{(Mask is null ? "" : $"/0x{Mask:x}")}")}{(InputInterface is null ? "" : $" iif {InputInterface}")}" +
        $"{(OutputInterface is null ? "" : $" oif {OutputInterface}")} action {Action}{(Table == 0 ? "" : $" table {Table}")}{(Goto is null ? "" : $" goto {Goto}")}" +
        $" proto {Protocol}";
}
