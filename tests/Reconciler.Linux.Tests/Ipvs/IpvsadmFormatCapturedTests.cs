using Reconciler.Ipvs;

namespace Reconciler.Linux.Tests.Ipvs;

/// <summary>What ipvsadm printed for a captured listing against what we print from the same kernel replies.</summary>
public sealed class IpvsadmFormatCapturedTests
{
    [Theory]
    [InlineData("15")]
    [InlineData("32")]
    [InlineData("34")]
    public void Save_FromCapturedReplies_IsWhatIpvsadmSavePrinted(string capture)
    {
        var exchange = CapturedExchange.Load(capture);

        Assert.Equal(exchange.Output, IpvsadmFormat.Save(CapturedTable.Decode(exchange)));
    }

    [Fact]
    public void List_FromCapturedReplies_IsWhatIpvsadmListPrinted()
    {
        var exchange = CapturedExchange.Load("16");

        Assert.Equal(exchange.Output, IpvsadmFormat.List(new IpvsInfo(0x010201, 4096), CapturedTable.Decode(exchange)));
    }
}
