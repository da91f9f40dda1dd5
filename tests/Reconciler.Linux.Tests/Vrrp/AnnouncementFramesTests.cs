using System.Net;
using Reconciler.Linux.Vrrp;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Linux.Tests.Vrrp;

public sealed class AnnouncementFramesTests
{
    private static readonly byte[] Mac = Convert.FromHexString("020000770001");

    [Fact]
    public void GratuitousArp_GoldenBytes()
    {
        var frame = AnnouncementFrames.BuildGratuitousArp(Mac, IPAddress.Parse("10.77.0.100"));
        Assert.Equal(
            "ffffffffffff" + "020000770001" + "0806" +                 // broadcast, from us, ARP
            "0001" + "0800" + "06" + "04" + "0001" +                   // Ethernet/IPv4, request
            "020000770001" + "0a4d0064" +                              // sender: our MAC, the VIP
            "ffffffffffff" + "0a4d0064" +                              // target: broadcast, the VIP
            new string('0', 36),                                       // padding to 60 bytes
            Convert.ToHexString(frame).ToLowerInvariant());
    }

    [Fact]
    public void NeighborAdvertisement_GoldenBytes_AndChecksumVerifies()
    {
        var target = IPAddress.Parse("2001:db8:77::100");
        var frame = AnnouncementFrames.BuildNeighborAdvertisement(Mac, target);
        var hex = Convert.ToHexString(frame).ToLowerInvariant();
        Assert.Equal(86, frame.Length);
        Assert.StartsWith("333300000001" + "020000770001" + "86dd" + "60000000" + "0020" + "3a" + "ff" +
            "20010db8007700000000000000000100" + "ff020000000000000000000000000001" + "88" + "00", hex);
        Assert.EndsWith("20000000" + "20010db8007700000000000000000100" + "0201" + "020000770001", hex); // O flag, target, TLLA option
        var icmp = frame.AsSpan(54);
        Assert.Equal(0, InternetChecksum.ComputeWithPseudoHeader(target, IPAddress.Parse("ff02::1"), 58, icmp));
    }

    [Fact]
    public void Build_PicksArpOrNaByFamily()
    {
        Assert.Equal(AnnouncementFrames.GratuitousArpLength, AnnouncementFrames.Build(Mac, IPAddress.Parse("192.0.2.1")).Length);
        Assert.Equal(AnnouncementFrames.NeighborAdvertisementLength, AnnouncementFrames.Build(Mac, IPAddress.Parse("2001:db8::1")).Length);
        Assert.Throws<ArgumentException>(() => AnnouncementFrames.Build(new byte[5], IPAddress.Parse("192.0.2.1")));
    }
}
