using Reconciler.Keepalived.Import;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary>keepalived's mail settings and <c>smtp_alert</c> onto the topology's <c>mail</c> block and notify blocks.</summary>
public sealed class MailImportTests
{
    private const string Globals = """
        global_defs {
            notification_email {
                ops@example.test
                oncall@example.test
            }
            notification_email_from lb@example.test
            smtp_server 10.0.0.25 2525
            smtp_helo_name lb1.example.test
            smtp_connect_timeout 12
            smtp_alert_checker
        }

        """;

    [Fact]
    public void GlobalDefs_BecomeTheMailBlock()
    {
        var topology = TopologyOf(Globals);

        Assert.Equal(
            new MailAlerts("10.0.0.25", 2525, "lb@example.test", ["ops@example.test", "oncall@example.test"], "lb1.example.test", TimeSpan.FromSeconds(12), Vrrp: false, Checkers: true),
            topology.Mail);
    }

    [Theory]
    [InlineData("smtp_alert", true, true)]
    [InlineData("smtp_alert\nsmtp_alert_vrrp no", false, true)]
    [InlineData("smtp_alert no\nsmtp_alert_checker", false, true)]
    [InlineData("", false, false)]
    public void SmtpAlertDefaults_AsKeepalivedResolvesThem(string flags, bool vrrp, bool checkers)
    {
        var mail = TopologyOf($"global_defs {{\nnotification_email {{\nops@example.test\n}}\nsmtp_server relay.example.test\n{flags}\n}}\n").Mail!;

        Assert.Equal((vrrp, checkers, 25), (mail.Vrrp, mail.Checkers, mail.Port));
    }

    [Fact]
    public void SmtpAlertOnInstanceGroupAndVirtualServer_BecomesTheirNotifyMail()
    {
        var topology = TopologyOf(Globals + """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    10.0.0.100
                }
                smtp_alert
            }
            virtual_server 10.0.0.100 80 {
                smtp_alert no
                real_server 10.0.1.1 80 {
                }
            }
            """);

        Assert.Equal(new VrrpNotify(null, null, null, null, null, null) { Mail = true }, topology.VrrpInstances[0].Notify);
        Assert.False(topology.Services[0].Notify!.Mail);
    }

    [Fact]
    public void SmtpAlertWithoutMailSettings_IsReportedAndNotImported()
    {
        var result = Run("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.0.0.100\n }\n smtp_alert\n}\n");

        Assert.Null(result.Topology!.VrrpInstances[0].Notify);
        var warning = Single(result, "unsupported-keyword");
        Assert.Equal(7, warning.Location!.Line);
        Assert.Contains("keepalived sends no mail either", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MailSettingsWithoutServer_AreReportedWhereTheyStart()
    {
        var result = Run("global_defs {\n router_id lb1\n notification_email {\n  ops@example.test\n }\n}\n");

        Assert.Null(result.Topology!.Mail);
        var warning = Single(result, "unsupported-keyword");
        Assert.Equal((3, "global_defs: mail settings without smtp_server: keepalived sends no mail, and none is imported"), (warning.Location!.Line, warning.Message));
    }

    [Fact]
    public void RealServerSmtpAlert_IsDroppedWithWhereToPutIt()
    {
        var result = Run(Globals + "virtual_server 10.0.0.1 80 {\n  real_server 10.0.1.1 80 {\n    smtp_alert\n  }\n}\n");

        Assert.Contains("set smtp_alert on the virtual_server", Single(result, "unsupported-keyword").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodesWithTheirOwnSenderAndHeloName_LeaveThemToTheAgent()
    {
        static string Node(string name) => $"global_defs {{\nnotification_email {{\nops@example.test\n}}\nnotification_email_from keepalived@{name}\nsmtp_helo_name {name}\nsmtp_server 10.0.0.25\n}}\n";

        var result = KeepalivedImporter.ImportText([new KeepalivedText("lb1", "lb1.conf", Node("lb1")), new KeepalivedText("lb2", "lb2.conf", Node("lb2"))]);

        Assert.Equal((null, null), (result.Topology!.Mail!.From, result.Topology.Mail.HeloName));
        Assert.Equal("lb2.conf", Assert.Single(result.Diagnostics, d => d.Code == "contradicting-nodes").Location!.File);
    }

    [Fact]
    public void NodesWithDifferentRecipients_KeepTheFirstAndSaySo()
    {
        var result = KeepalivedImporter.ImportText([
            new KeepalivedText("lb1", "lb1.conf", "global_defs {\nnotification_email {\na@example.test\n}\nsmtp_server 10.0.0.25\n}\n"),
            new KeepalivedText("lb2", "lb2.conf", "global_defs {\nnotification_email {\nb@example.test\n}\nsmtp_server 10.0.0.25\n}\n")]);

        Assert.Equal(["a@example.test"], result.Topology!.Mail!.To);
        Assert.Contains("in: to;", Assert.Single(result.Diagnostics, d => d.Code == "contradicting-nodes").Message, StringComparison.Ordinal);
    }
}
