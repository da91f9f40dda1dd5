using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Wire;

public sealed class VrrpCodecPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    /// <summary>Any advert the wire can carry, with source and destination addresses of its family.</summary>
    internal static Gen<(VrrpAdvert Advert, IPAddress Source, IPAddress Destination)> Adverts()
    {
        var ipv4 = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 4).Select(b => new IPAddress(b));
        var ipv6 = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16).Select(b => new IPAddress(b));

        var v2 =
            from vrid in Gen.Choose(0, 255)
            from priority in Gen.Choose(0, 255)
            from seconds in Gen.Choose(0, 255)
            from count in Gen.Choose(0, 20)
            from addresses in Gen.ArrayOf(ipv4, count)
            from authType in Gen.Choose(0, 255)
            from authHigh in Gen.Choose(int.MinValue, int.MaxValue)
            from authLow in Gen.Choose(int.MinValue, int.MaxValue)
            from source in ipv4
            from destination in ipv4
            select (new VrrpAdvert(2, AddressFamily.InterNetwork, (byte)vrid, (byte)priority, TimeSpan.FromSeconds(seconds),
                ValueList.Create<IPAddress>(addresses), (VrrpAuthType)authType, ((ulong)(uint)authHigh << 32) | (uint)authLow), source, destination);

        var v3 =
            from ipv6Family in Gen.Elements(false, true)
            from vrid in Gen.Choose(0, 255)
            from priority in Gen.Choose(0, 255)
            from centiseconds in Gen.Choose(0, 4095)
            from count in Gen.Choose(0, 20)
            from addresses in Gen.ArrayOf(ipv6Family ? ipv6 : ipv4, count)
            from source in ipv6Family ? ipv6 : ipv4
            from destination in ipv6Family ? ipv6 : ipv4
            select (new VrrpAdvert(3, ipv6Family ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, (byte)vrid, (byte)priority,
                TimeSpan.FromMilliseconds(centiseconds * 10), ValueList.Create<IPAddress>(addresses)), source, destination);

        return Gen.OneOf(v2, v3);
    }

    [Fact]
    public void EncodeThenDecode_IsIdentity_AndChecksumVerifies()
    {
        var property = Prop.ForAll(Adverts().ToArbitrary(), sample =>
        {
            var (advert, source, destination) = sample;
            var bytes = VrrpCodec.Encode(advert, source, destination);
            return bytes.Length == advert.EncodedLength
                && VrrpCodec.TryDecode(bytes, advert.Family, out var decoded, out _)
                && decoded == advert
                && VrrpCodec.VerifyChecksum(bytes, source, destination);
        });
        Check.One(Runs, property);
    }

    [Fact]
    public void DecodeThenEncode_GivesTheSameBytes_ForValidMessages()
    {
        // The mirror direction: anything that decodes and verifies re-encodes to itself (v3 reserved bits aside).
        var property = Prop.ForAll(Adverts().ToArbitrary(), sample =>
        {
            var (advert, source, destination) = sample;
            var bytes = VrrpCodec.Encode(advert, source, destination);
            VrrpCodec.TryDecode(bytes, advert.Family, out var decoded, out _);
            return VrrpCodec.Encode(decoded!, source, destination).AsSpan().SequenceEqual(bytes);
        });
        Check.One(Runs, property);
    }
}
