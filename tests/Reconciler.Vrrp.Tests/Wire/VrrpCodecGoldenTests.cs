using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Wire;

/// <summary>
/// Hand-computed vectors from the RFC 3768 5.1 / RFC 5798 5.1 layouts. Each checksum is worked out below in
/// 16-bit words (one's complement sum, carries folded, complemented), was cross-checked with a separate
/// script and with Wireshark's VRRP dissector (tshark 'vrrp.checksum.status == Good'), and is verified again
/// here by <see cref="ReferenceChecksum"/>, an implementation independent of the production one.
/// </summary>
public sealed class VrrpCodecGoldenTests
{
    private static readonly IPAddress Multicast4 = VrrpConstants.VRRP_MCAST_GROUP4;
    private static readonly IPAddress Multicast6 = VrrpConstants.VRRP_MCAST_GROUP6;

    public static TheoryData<string, string, string, string> Vectors => new()
    {
        // v2, VRID 51, priority 100, 1 address, auth PASS "secret", 1 s:
        // 21 33 64 01 | 01 01 cksm | c0a8 0178 | "secret\0\0"
        // 2133+6401+0101+c0a8+0178+7365+6372+6574 = 284a0 -> 84a2 -> ~ = 7b5d
        { "v2-pass", "2133640101017b5dc0a8017873656372657400 00", "192.168.1.10", "224.0.0.18" },

        // v2, VRID 1, priority 0 (stop), 2 addresses, no auth, 1 s:
        // 2101+0002+0001+0a00+0001+0a00+0002 = 3507 -> ~ = caf8
        { "v2-stop", "2101000200 01caf8 0a000001 0a000002 0000000000000000", "10.0.0.1", "224.0.0.18" },

        // v3 IPv4 multicast, 192.168.1.10 -> 224.0.0.18, VRID 51, priority 100, 100 cs, 1 address:
        // pseudo c0a8+010a+e000+0012+0070+000c = 1a240; message 3133+6401+0064+c0a8+0178;
        // total 2f9f8 -> f9fa -> ~ = 0605
        { "v3-ipv4-multicast", "31336401 0064 0605 c0a80178", "192.168.1.10", "224.0.0.18" },

        // v3 IPv4 unicast, 10.0.0.1 -> 10.0.0.2, VRID 7, priority 150, 50 cs, 1 address 10.0.0.100:
        // pseudo 0a00+0001+0a00+0002+0070+000c = 147f; message 3107+9601+0032+0a00+0064 = d19e;
        // total e61d -> ~ = 19e2
        { "v3-ipv4-unicast", "31079601 0032 19e2 0a000064", "10.0.0.1", "10.0.0.2" },

        // The same with keepalived's legacy unicast checksum (224.0.0.18 in the pseudo-header):
        // pseudo 0a00+0001+e000+0012+0070+000c = ea8f; + d19e = 1bc2d -> bc2e -> ~ = 43d1
        { "v3-ipv4-unicast-legacy", "31079601 0032 43d1 0a000064", "10.0.0.1", "224.0.0.18" },

        // v3 IPv6 multicast, fe80::1 -> ff02::12, VRID 1, priority 255, 100 cs, 1 address 2001:db8::100:
        // pseudo fe80+0001+ff02+0012+(length 00000018)+(next header 00000070) = 1fe1d;
        // message 3101+ff01+0064+2001+0db8+0100 = 15f1f; total 35d3c -> 5d3f -> ~ = a2c0
        { "v3-ipv6-multicast", "3101ff01 0064 a2c0 20010db8000000000000000000000100", "fe80::1", "ff02::12" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encode_GivesGoldenBytes(string name, string hex, string source, string destination)
    {
        var expected = Bytes(hex);
        var advert = Expected(name);
        var encoded = VrrpCodec.Encode(advert, IPAddress.Parse(source), IPAddress.Parse(destination));
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(encoded));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_GivesAdvert_AndChecksumVerifies(string name, string hex, string source, string destination)
    {
        var bytes = Bytes(hex);
        var family = IPAddress.Parse(source).AddressFamily;
        Assert.True(VrrpCodec.TryDecode(bytes, family, out var advert, out var reason), reason.ToString());
        Assert.Equal(Expected(name), advert);
        Assert.True(VrrpCodec.VerifyChecksum(bytes, IPAddress.Parse(source), IPAddress.Parse(destination)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void GoldenChecksum_MatchesIndependentImplementation(string name, string hex, string source, string destination)
    {
        var bytes = Bytes(hex);
        var stored = (bytes[6] << 8) | bytes[7];
        bytes[6] = 0;
        bytes[7] = 0;
        var reference = name.StartsWith("v2", StringComparison.Ordinal)
            ? ReferenceChecksum.Of(bytes)
            : ReferenceChecksum.V3(IPAddress.Parse(source), IPAddress.Parse(destination), bytes);
        Assert.Equal(reference, stored);
    }

    [Fact]
    public void VerifyChecksum_V3WithWrongDestination_Fails()
    {
        var bytes = Bytes("31079601 0032 19e2 0a000064");
        Assert.False(VrrpCodec.VerifyChecksum(bytes, IPAddress.Parse("10.0.0.1"), Multicast4));
        Assert.True(VrrpCodec.VerifyChecksum(bytes, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")));
    }

    [Fact]
    public void Decode_V3ReservedBitsSet_AreIgnored()
    {
        // RFC 5798 5.2.6: the 4 reserved bits are ignored on receipt.
        var bytes = Bytes("31336401 f064 0000 c0a80178");
        Assert.True(VrrpCodec.TryDecode(bytes, AddressFamily.InterNetwork, out var advert, out _));
        Assert.Equal(TimeSpan.FromSeconds(1), advert.AdvertInterval);
    }

    [Fact]
    public void Encode_V3Interval_IsCentiseconds()
    {
        var advert = Expected("v3-ipv4-multicast") with { AdvertInterval = TimeSpan.FromSeconds(40.95) };
        var bytes = VrrpCodec.Encode(advert, IPAddress.Parse("192.168.1.10"), Multicast4);
        Assert.Equal(0x0f, bytes[4]);
        Assert.Equal(0xff, bytes[5]);
    }

    [Theory]
    [InlineData(2, 1500)] // v2 is whole seconds
    [InlineData(2, 256_000)] // v2 max 255 s
    [InlineData(3, 15)] // v3 is 10 ms steps
    [InlineData(3, 40_960)] // v3 max 40.95 s
    public void Encode_UnrepresentableInterval_Throws(int version, int milliseconds)
    {
        var advert = new VrrpAdvert(version, AddressFamily.InterNetwork, 1, 100, TimeSpan.FromMilliseconds(milliseconds), []);
        Assert.Throws<ArgumentException>(() => VrrpCodec.Encode(advert, IPAddress.Parse("10.0.0.1"), Multicast4));
    }

    [Fact]
    public void Encode_V2OverIpv6_Throws()
    {
        var advert = new VrrpAdvert(2, AddressFamily.InterNetworkV6, 1, 100, TimeSpan.FromSeconds(1), [IPAddress.Parse("2001:db8::1")]);
        Assert.Throws<ArgumentException>(() => VrrpCodec.Encode(advert, IPAddress.Parse("fe80::1"), Multicast6));
    }

    [Fact]
    public void Encode_AddressOfOtherFamily_Throws()
    {
        var advert = new VrrpAdvert(3, AddressFamily.InterNetwork, 1, 100, TimeSpan.FromSeconds(1), [IPAddress.Parse("2001:db8::1")]);
        Assert.Throws<ArgumentException>(() => VrrpCodec.Encode(advert, IPAddress.Parse("10.0.0.1"), Multicast4));
    }

    [Fact]
    public void Password_IsTruncatedToEightBytesAndZeroPadded()
    {
        Assert.Equal(0x7365637265740000UL, VrrpPassword.Encode("secret"));
        Assert.Equal(VrrpPassword.Encode("12345678"), VrrpPassword.Encode("123456789"));
        Assert.Equal("secret", VrrpPassword.Decode(VrrpPassword.Encode("secret")));
    }

    internal static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static VrrpAdvert Expected(string name) => name switch
    {
        "v2-pass" => new VrrpAdvert(2, AddressFamily.InterNetwork, 51, 100, TimeSpan.FromSeconds(1),
            [IPAddress.Parse("192.168.1.120")], VrrpAuthType.SimpleText, VrrpPassword.Encode("secret")),
        "v2-stop" => new VrrpAdvert(2, AddressFamily.InterNetwork, 1, 0, TimeSpan.FromSeconds(1),
            [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")]),
        "v3-ipv4-multicast" => new VrrpAdvert(3, AddressFamily.InterNetwork, 51, 100, TimeSpan.FromSeconds(1),
            [IPAddress.Parse("192.168.1.120")]),
        "v3-ipv4-unicast" or "v3-ipv4-unicast-legacy" => new VrrpAdvert(3, AddressFamily.InterNetwork, 7, 150, TimeSpan.FromMilliseconds(500),
            [IPAddress.Parse("10.0.0.100")]),
        "v3-ipv6-multicast" => new VrrpAdvert(3, AddressFamily.InterNetworkV6, 1, 255, TimeSpan.FromSeconds(1),
            [IPAddress.Parse("2001:db8::100")]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
