using Reconciler.Keepalived.Import;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class ImporterTests
{
    [Fact]
    public void Import_SharedIncludeFile_IsReadForEachNodeAndLocatedInIt()
    {
        var files = new InMemoryFileSystem()
            .Add("/etc/lb/lb1.conf", ImportHelper.MinimalInstance + "\ninclude services/*.conf\n")
            .Add("/etc/lb/lb2.conf", ImportHelper.MinimalInstance.Replace("interface eth0", "interface eth0\n    priority 90", StringComparison.Ordinal) + "\ninclude services/*.conf\n")
            .Add("/etc/lb/services/web.conf", "virtual_server 10.0.0.100 80 {\n    ha_suspend\n    real_server 10.0.1.1 80 {\n    }\n}\n");

        var result = KeepalivedImporter.Import([new KeepalivedSource("lb1", "/etc/lb/lb1.conf"), new KeepalivedSource("lb2", "/etc/lb/lb2.conf")], files);

        Assert.Equal("VI_1", Assert.Single(result.Topology!.Services).VrrpInstance);
        Assert.Equal(
            ["/etc/lb/services/web.conf:2:5: warning: 'ha_suspend' in virtual_server 10.0.0.100 80 is not supported by the topology and is ignored"],
            result.Diagnostics.Select(d => d.ToString()).Distinct());
        Assert.Equal(2, result.Diagnostics.Count);
    }

    [Fact]
    public void ImportText_IncludesComeFromTheGivenFileSystem()
    {
        var includes = new InMemoryFileSystem().Add("/conf.d/vip.conf", "virtual_ipaddress {\n 10.0.0.7\n}");

        var result = KeepalivedImporter.ImportText(
            [new KeepalivedText("lb1", "/main.conf", "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n include conf.d/vip.conf\n}")],
            includes);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("10.0.0.7/32", Assert.Single(result.Topology!.VrrpInstances[0].VirtualAddresses).ToString());
    }

    [Fact]
    public void Import_DiagnosticsAreInSourceOrder()
    {
        var result = ImportHelper.Run("""
            virtual_server 10.0.0.1 80 {
                real_server 10.0.1.1 80 {
                    HTTP_GET {
                        url {
                            path /
                            regex x
                        }
                        enable_sni
                    }
                }
                ha_suspend
            }
            global_defs {
                smtp_server 127.0.0.1
            }
            """);

        Assert.Equal([6, 8, 11, 14], result.Diagnostics.Select(d => d.Location!.Line));
    }

    [Fact]
    public void Import_GivenNames_AreReportedAsGiven()
    {
        var result = ImportHelper.Run(ImportHelper.MinimalInstance);

        Assert.Equal([new ImportedNode("lb1", ImportHelper.File, NodeNameOrigin.Given)], result.Nodes);
    }

    [Fact]
    public void Import_InvalidGivenName_IsError()
    {
        var result = KeepalivedImporter.ImportText(ImportHelper.MinimalInstance, "k.conf", "lb 1");

        Assert.Equal("invalid-name", Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error).Code);
    }
}
