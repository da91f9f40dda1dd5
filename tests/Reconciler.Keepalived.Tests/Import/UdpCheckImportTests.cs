using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class UdpCheckImportTests
{
    private static string InRealServer(string checker) => "virtual_server 10.0.0.1 53 {\n real_server 10.0.1.1 53 {\n" + checker + "\n }\n}";

    [Fact]
    public void UdpCheck_Defaults_FollowKeepalived()
    {
        var check = Check("UDP_CHECK {\n}");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Udp, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(1), 1, 1, TimeSpan.FromSeconds(60), null, null, null, null, null),
            check);
        Assert.Null(check.Udp);
    }

    [Fact]
    public void UdpCheck_AllSettings_HexInCanonicalForm()
    {
        var check = Check("UDP_CHECK {\n connect_port 5353\n connect_timeout 3\n payload Ab12f 3 456\n require_reply 12 xA 0X\n min_reply_length 4\n max_reply_length 100\n}");

        Assert.Equal(new UdpCheck("ab120f034506", true, "12xa0x", 4, 100), check.Udp);
        Assert.Equal(5353, check.Port);
        Assert.Equal(TimeSpan.FromSeconds(3), check.ConnectTimeout);
    }

    [Fact]
    public void RequireReply_WithoutHex_RequiresAnyReply() =>
        Assert.Equal(new UdpCheck(null, true, null, 0, 255), Check("UDP_CHECK {\n require_reply\n}").Udp);

    [Theory]
    [InlineData("payload 12 zz34", 12, "not a hex digit")]
    [InlineData("payload 0x12", 12, "not a hex digit")]
    [InlineData("require_reply 12 q", 18, "neither a hex digit nor x")]
    public void BadHexString_IsLocatedError_AsKeepalivedReportsIt(string line, int column, string why)
    {
        var result = Run(InRealServer("  UDP_CHECK {\n   " + line + "\n  }"));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("invalid-value", 4, column), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains("keepalived reports it", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Topology);
    }

    [Fact]
    public void PayloadWithoutHex_IsMissingValue() =>
        Assert.Equal(4, Single(Run(InRealServer("  UDP_CHECK {\n   payload\n  }")), "missing-value").Location!.Line);

    [Fact]
    public void ReplyLengths_WithoutRequireReply_AreDropped()
    {
        var result = Run(InRealServer("  UDP_CHECK {\n   payload ff\n   min_reply_length 4\n   max_reply_length 9\n  }"));

        Assert.Equal(new UdpCheck("ff", false, null, 0, 255), result.Topology!.Services[0].HealthCheck!.Udp);
        Assert.Equal([5, 6], result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => d.Location!.Line));
    }

    [Fact]
    public void MinReplyLengthAboveMax_IsError()
    {
        var result = Run(InRealServer("  UDP_CHECK {\n   require_reply\n   min_reply_length 300\n  }"));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((5, 4), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void UnknownKeyword_IsWarnedAndIgnored()
    {
        var result = Run(InRealServer("  UDP_CHECK {\n   require_reply\n   foo bar\n  }"));

        var warning = Single(result, "unsupported-keyword");
        Assert.Equal(5, warning.Location!.Line);
        Assert.True(result.Topology!.Services[0].HealthCheck!.Udp!.RequireReply);
    }
}
