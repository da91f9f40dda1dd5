using System.Text;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests.Model;

public sealed class TrackedFileValueTests
{
    [Theory]
    [InlineData("5\n", 5)]
    [InlineData("  -12 apples", -12)]
    [InlineData("+7", 7)]
    [InlineData("0x1f", 31)]
    [InlineData("0X1F\n", 31)]
    [InlineData("010", 8)]
    [InlineData("09", 0)]
    [InlineData("0xg", 0)]
    [InlineData("", 0)]
    [InlineData("garbage", 0)]
    [InlineData("\t\n 42", 42)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Parse_AsStrtolBase0_GivesValue(string content, int expected) =>
        Assert.Equal(expected, TrackedFileValue.Parse(Encoding.ASCII.GetBytes(content)));

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("99999999999999999999999")]
    public void Parse_BeyondAnInt_IsIgnored(string content) => Assert.Null(TrackedFileValue.Parse(Encoding.ASCII.GetBytes(content)));

    [Fact]
    public void Parse_OnlyTheFirst127Bytes_AreRead() =>
        Assert.Equal(0, TrackedFileValue.Parse(Encoding.ASCII.GetBytes(new string(' ', 127) + "5")));

    [Theory]
    [InlineData(3, 10, false, false, 30)]
    [InlineData(3, 10, true, false, -30)]
    [InlineData(-25, 10, false, false, -250)]
    [InlineData(-26, 10, false, true, 0)]
    [InlineData(-1, 254, false, true, 0)]
    [InlineData(1, 254, false, false, 253)]
    [InlineData(0, 0, false, false, 0)]
    [InlineData(7, 0, false, true, 0)]
    [InlineData(0, 0, true, true, 0)]
    [InlineData(7, 0, true, false, 0)]
    public void ForVrrp_KeepalivedsArithmetic(int value, int weight, bool reverse, bool fault, long offset) =>
        Assert.Equal(new TrackedFileEffect(fault, offset), TrackedFileValue.ForVrrp(value, weight, reverse));

    [Theory]
    [InlineData(5, 2, false, false, 10)]
    [InlineData(5, 2, true, false, -10)]
    [InlineData(int.MinValue, 1, false, true, 0)]
    [InlineData(-int.MaxValue, 1, false, true, 0)]
    [InlineData(int.MaxValue, 2, false, false, int.MaxValue - 1L)]
    [InlineData(1, 0, false, true, 0)]
    public void ForRealServer_KeepalivedsArithmetic(int value, int weight, bool reverse, bool fault, long offset) =>
        Assert.Equal(new TrackedFileEffect(fault, offset), TrackedFileValue.ForRealServer(value, weight, reverse));

    [Theory]
    [InlineData(10, 30, 40)]
    [InlineData(10, -30, 0)]
    [InlineData(60000, 10000, 65535)]
    public void RealServerWeight_StaysWithinIpvs(int configured, long offset, int expected) =>
        Assert.Equal(expected, TrackedFileValue.RealServerWeight(configured, offset));

    [Fact]
    public void Read_MissingFile_IsZero() => Assert.Equal(0, TrackedFileValue.Read("/nonexistent/reconciler/tracked"));

    [Fact]
    public void Read_File_ParsesIt()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "-4\n");
            Assert.Equal(-4, TrackedFileValue.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
