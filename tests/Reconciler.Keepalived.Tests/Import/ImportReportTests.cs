using Reconciler.Keepalived.Import;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary>The import report: each statement imported, adjusted, dropped or invalid, with the finding that says why.</summary>
public sealed class ImportReportTests
{
    private const string Config = """
        global_defs {
            router_id lb1
            enable_script_security
        }
        vrrp_sync_group VG_1 {
            group {
                VI_1
            }
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 150
            virtual_ipaddress {
                10.0.0.100/24 dev eth0 brd 10.0.0.255
            }
        }
        """;

    private static NodeImportReport Report(string text, string node = "lb1") =>
        Assert.Single(KeepalivedImporter.ImportText(text, "k.conf", node).Report.Nodes);

    [Fact]
    public void EachStatement_HasItsOutcomeAndPlace()
    {
        var report = Report(Config);

        Assert.Equal(
            [
                "1:1 global_defs Imported",
                "2:5 global_defs/router_id Imported",
                "3:5 global_defs/enable_script_security Dropped",
                "5:1 vrrp_sync_group Dropped",
                "6:5 vrrp_sync_group/group Dropped",
                "7:9 vrrp_sync_group/group/(entry) Dropped",
                "10:1 vrrp_instance Imported",
                "11:5 vrrp_instance/interface Imported",
                "12:5 vrrp_instance/virtual_router_id Imported",
                "13:5 vrrp_instance/priority Imported",
                "14:5 vrrp_instance/virtual_ipaddress Imported",
                "15:9 vrrp_instance/virtual_ipaddress/(entry) Adjusted",
            ],
            report.Statements.Select(s => $"{s.Location.Line}:{s.Location.Column} {s.Keyword} {s.Outcome}"));
        Assert.Equal((7, 1, 4, 0), (report.Count(ImportOutcome.Imported), report.Count(ImportOutcome.Adjusted), report.Count(ImportOutcome.Dropped), report.Count(ImportOutcome.Invalid)));
    }

    [Fact]
    public void DroppedOrAdjusted_SaysWhy()
    {
        var report = Report(Config);

        Assert.Contains("has only one member, vrrp_instance VI_1", report.Statements[3].Reason, StringComparison.Ordinal);
        Assert.Equal("in vrrp_sync_group at k.conf:5:1, which is dropped", report.Statements[4].Reason);
        Assert.Contains("brd 10.0.0.255", report.Statements[11].Reason, StringComparison.Ordinal);
        Assert.Null(report.Statements[0].Reason);
    }

    [Fact]
    public void InvalidValue_IsInvalid()
    {
        var report = Report(Config.Replace("priority 150", "priority 300", StringComparison.Ordinal));

        var priority = Assert.Single(report.Statements, s => s.Keyword == "vrrp_instance/priority");
        Assert.Equal(ImportOutcome.Invalid, priority.Outcome);
        Assert.NotNull(priority.Reason);
    }

    [Fact]
    public void SharedFile_EachNodeReportsTheLinesItReads()
    {
        const string Shared = "global_defs {\n@lb1 router_id lb1\n@lb2 router_id lb2\n@lb2 smtp_server 10.0.0.9\n}\n";

        var result = KeepalivedImporter.ImportText([new KeepalivedText("lb1", "s.conf", Shared), new KeepalivedText("lb2", "s.conf", Shared)]);

        Assert.Equal([2], result.Report.Nodes[0].Statements.Where(s => s.Keyword == "global_defs/router_id").Select(s => s.Location.Line));
        Assert.Equal(["global_defs/router_id Imported", "global_defs/smtp_server Dropped"], result.Report.Nodes[1].Statements.Skip(1).Select(s => $"{s.Keyword} {s.Outcome}"));
    }

    [Fact]
    public void NewCheckers_ImportedMappedOrDroppedWithWhy()
    {
        var report = Report("""
            virtual_server 10.0.0.1 25 {
                real_server 10.0.1.1 25 {
                    SMTP_CHECK {
                        helo_name lb1.example.com
                        fwmark 7
                        host {
                            connect_port 2525
                        }
                        host {
                            connect_port 2526
                        }
                    }
                    PING_CHECK {
                        connect_timeout 2
                    }
                }
            }
            """);

        Assert.Equal(
            [
                "1 virtual_server Imported",
                "2 virtual_server/real_server Imported",
                "3 virtual_server/real_server/SMTP_CHECK Imported",
                "4 virtual_server/real_server/SMTP_CHECK/helo_name Imported",
                "5 virtual_server/real_server/SMTP_CHECK/fwmark Dropped",
                "6 virtual_server/real_server/SMTP_CHECK/host Adjusted",
                "7 virtual_server/real_server/SMTP_CHECK/host/connect_port Dropped",
                "9 virtual_server/real_server/SMTP_CHECK/host Adjusted",
                "10 virtual_server/real_server/SMTP_CHECK/host/connect_port Dropped",
                "13 virtual_server/real_server/PING_CHECK Dropped",
                "14 virtual_server/real_server/PING_CHECK/connect_timeout Dropped",
            ],
            report.Statements.Select(s => $"{s.Location.Line} {s.Keyword} {s.Outcome}"));
        Assert.Contains("one check per real server", report.Statements[9].Reason, StringComparison.Ordinal);
        Assert.Contains("own connection", report.Statements[5].Reason, StringComparison.Ordinal);
    }
}
