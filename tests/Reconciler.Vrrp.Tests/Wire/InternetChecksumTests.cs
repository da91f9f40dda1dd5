using System.Net;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Wire;

public sealed class InternetChecksumTests
{
    [Fact]
    public void Compute_Rfc1071NumericalExample_Gives220D()
    {
        // RFC 1071 section 3: words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2, complemented 220d.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0x220d, InternetChecksum.Compute(data));
    }

    [Fact]
    public void Compute_OddLength_PadsWithZero()
    {
        byte[] odd = [0x12, 0x34, 0x56];
        byte[] padded = [0x12, 0x34, 0x56, 0x00];
        Assert.Equal(InternetChecksum.Compute(padded), InternetChecksum.Compute(odd));
    }

    [Fact]
    public void Compute_DataWithItsChecksumInserted_SumsToZero()
    {
        var random = new Random(1071);
        for (var i = 0; i < 200; i++)
        {
            var data = new byte[2 + (random.Next(0, 100) * 2)];
            random.NextBytes(data);
            data[0] = 0;
            data[1] = 0;
            var checksum = InternetChecksum.Compute(data);
            data[0] = (byte)(checksum >> 8);
            data[1] = (byte)checksum;
            Assert.Equal(0, InternetChecksum.Compute(data));
        }
    }

    [Fact]
    public void PseudoHeaderSum_MixedFamilies_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            InternetChecksum.PseudoHeaderSum(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("ff02::12"), 112, 8));
}
