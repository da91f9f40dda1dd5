using System.Text;
using Reconciler.Keepalived.Import;
using Reconciler.Keepalived.Parsing;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class MalformedInputTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    [InlineData("! only a comment\n# and another\n")]
    public void EmptyConfiguration_IsLocatedError(string text)
    {
        var result = Run(text);

        Assert.Null(result.Topology);
        Assert.Equal("k.conf:1:1: error: the configuration has no statements", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void UnbalancedBraces_AreLocatedErrors()
    {
        var unclosed = Run("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n");
        Assert.Contains(unclosed.Diagnostics, d => d.IsError && d.Code == "syntax" && d.Location!.Line == 1 && d.Location.Column == 20);

        var extra = Run(MinimalInstance + "\n}\n");
        Assert.Contains(extra.Diagnostics, d => d.IsError && d.Code == "syntax" && d.Location!.Line == 8);
        Assert.Null(extra.Topology);
    }

    [Fact]
    public void GarbageBytes_AreLocatedErrors()
    {
        var bytes = new byte[] { 0x76, 0x72, 0x72, 0x70, 0x0a, 0xff, 0xfe, 0x00, 0x01, 0x0a };
        var path = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.conf");
        System.IO.File.WriteAllBytes(path, bytes);
        try
        {
            var result = KeepalivedImporter.Import([new KeepalivedSource("lb1", path)]);

            Assert.Null(result.Topology);
            Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 2 && d.Location.Column == 1);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_IsError()
    {
        var result = KeepalivedImporter.Import([new KeepalivedSource("lb1", "/nonexistent/keepalived.conf")]);

        Assert.Equal("file-not-found", Assert.Single(result.Diagnostics).Code);
        Assert.Null(result.Topology);
    }

    [Fact]
    public void NoSources_IsError() =>
        Assert.Equal("no-input", Assert.Single(KeepalivedImporter.ImportText([]).Diagnostics).Code);

    [Fact]
    public void RandomInput_NeverThrows()
    {
        var random = new Random(1234);
        const string alphabet = "{}\"!# \n\tabc_019./:-\u0001\uFFFDvrrp_instance virtual_server real_server TCP_CHECK include *";
        for (var i = 0; i < 500; i++)
        {
            var length = random.Next(0, 300);
            var text = new StringBuilder();
            for (var j = 0; j < length; j++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var result = Run(text.ToString());

            Assert.True(result.Topology is not null || result.HasErrors);
        }
    }

    [Fact]
    public void KeywordsInWrongShape_AreErrorsNotCrashes()
    {
        var result = Run("virtual_server 10.0.0.1 80\nvrrp_instance\nvrrp_script x {\n}\nvirtual_server 10.0.0.1 80 {\n real_server {\n }\n}\nglobal_defs {\n router_id\n}");

        Assert.Null(result.Topology);
        Assert.Equal([1, 2, 3, 5, 6, 10], result.Diagnostics.Where(d => d.IsError).Select(d => d.Location!.Line).Distinct());
    }
}
