using System.Net;
using System.Net.Sockets;

namespace Reconciler.Ipvs.Tests;

public sealed class IpvsadmOrderTests
{
    [Fact]
    public void CompareDestinations_AddressesMoreThanTwoToThe31Apart_CompareWrappedLikeIpvsadm()
    {
        var low = new IpvsDestination(IPAddress.Parse("10.0.0.5"), 80, IpvsForwarding.Masquerade, 1, 0, 0);
        var high = new IpvsDestination(IPAddress.Parse("192.0.2.99"), 80, IpvsForwarding.Masquerade, 1, 0, 0);

        Assert.True(IpvsadmOrder.CompareDestinations(low, high) > 0);
    }

    [Fact]
    public void CompareServices_AddressServicesBeforeMarksAndIpv4BeforeIpv6()
    {
        var tcp6 = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 80);
        var udp4 = ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("10.0.0.1"), 80);
        var mark = ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 1);

        Assert.True(IpvsadmOrder.CompareServices(udp4, tcp6) < 0);
        Assert.True(IpvsadmOrder.CompareServices(tcp6, mark) < 0);
    }

    [Fact]
    public void Describe_NamesOperationAndObjects()
    {
        var service = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.120"), 80);
        var destination = new IpvsDestination(IPAddress.Parse("10.0.0.5"), 80, IpvsForwarding.Masquerade, 1, 0, 0);

        Assert.Equal("add real server 10.0.0.5:80 to TCP 10.0.0.120:80", new AddDestination(service, destination).Describe());
    }
}
