using System.Diagnostics;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Native;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Netlink;

/// <summary>
/// The socket and request machinery against the build machine's own kernel, through families every Linux has
/// (the generic netlink controller, rtnetlink), so no IPVS and no privilege is needed.
/// </summary>
public sealed class NetlinkConnectionHostTests
{
    [Fact]
    public void Request_ControllerFamily_ResolvesItself()
    {
        using var connection = new NetlinkConnection(NetlinkConstants.NETLINK_GENERIC);

        Assert.Equal(GenericNetlink.GENL_ID_CTRL, GenericNetlinkFamily.TryResolve(connection, "nlctrl"));
    }

    [Fact]
    public void Request_UnknownFamily_IsNull()
    {
        using var connection = new NetlinkConnection(NetlinkConstants.NETLINK_GENERIC);

        Assert.Null(GenericNetlinkFamily.TryResolve(connection, "no-such-family"));
    }

    [Fact]
    public void Dump_RouteLinks_ReadsToDoneAndFindsLoopback()
    {
        using var connection = new NetlinkConnection(NetlinkConstants.NETLINK_ROUTE);
        var names = new List<string>();

        connection.Request(
            "list links",
            18, // RTM_GETLINK
            0,
            names,
            static (ref NetlinkMessageWriter writer, List<string> _) => writer.WriteFamilyHeader(new byte[16]), // struct ifinfomsg
            static (reply, list) =>
            {
                var attributes = reply.Attributes(16);
                while (attributes.TryRead(out var attribute))
                {
                    if (attribute.Type == 3) // IFLA_IFNAME
                    {
                        list.Add(attribute.GetString());
                    }
                }
            },
            dump: true);

        Assert.Contains("lo", names);

        // The connection is reusable after a dump: the next request's replies are told apart by sequence number.
        Assert.Equal(GenericNetlink.GENL_ID_CTRL, GenericNetlinkFamily.TryResolve(new NetlinkConnection(NetlinkConstants.NETLINK_GENERIC), "nlctrl"));
    }

    [Fact]
    public void Pipeline_MixedOutcomes_AttributesEachAckToItsRequest()
    {
        using var connection = new NetlinkConnection(NetlinkConstants.NETLINK_GENERIC);
        string[] names = ["nlctrl", "no-such-1", "nlctrl", "no-such-2", "no-such-3", "nlctrl"];
        var many = Enumerable.Range(0, 3000).Select(i => names[i % names.Length]).ToArray();

        var results = connection.Pipeline(
            "resolve many",
            many.Length,
            many,
            static (ref NetlinkMessageWriter writer, int index, string[] state) =>
            {
                GenericNetlinkFamily.WriteGetFamily(ref writer, state[index]);
                return (GenericNetlink.GENL_ID_CTRL, (ushort)0);
            });

        Assert.Equal(many.Select(n => n == "nlctrl" ? 0 : Errno.ENOENT), results.Select(r => r.Errno));
    }

    [Fact]
    public void Receive_NothingComing_TimesOutAfterTheDeadline()
    {
        using var socket = NetlinkSocket.Open(NetlinkConstants.NETLINK_GENERIC, null, TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        int length = socket.Receive(new byte[1024]);

        Assert.Equal(-1, length);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        Assert.NotEqual(0u, socket.PortId);
    }

    [Fact]
    public void IpvsClient_KernelWithoutIpvs_FailsEachCallWithTheReasonAndKeepsTrying()
    {
        // The client looks the family up under a name no kernel registers: to it, this kernel has no IPVS, whether or
        // not this host has ip_vs loaded.
        using var client = IpvsNetlinkClient.Open(null, null, "no-such-IPVS");

        var first = Assert.Throws<IpvsException>(() => client.GetInfo());
        var second = Assert.Throws<IpvsException>(() => client.GetServices());

        Assert.Equal(Errno.ENOENT, first.Errno);
        Assert.Contains("is the ip_vs module loaded?", first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public void Open_NamespacePathThatDoesNotExist_Throws()
    {
        var error = Assert.ThrowsAny<NetlinkException>(() => NetlinkSocket.Open(NetlinkConstants.NETLINK_GENERIC, "/run/netns/reconciler-no-such-namespace", TimeSpan.FromSeconds(1)));

        Assert.Equal(Errno.ENOENT, error.Errno);
    }
}
