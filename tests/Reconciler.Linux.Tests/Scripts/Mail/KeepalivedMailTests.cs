using Reconciler.Scripts.Mail;

namespace Reconciler.Linux.Tests.Scripts.Mail;

/// <summary>The texts keepalived 2.2.7 mails (vrrp_notify.c, smtp.c), which mail filters match on.</summary>
public sealed class KeepalivedMailTests
{
    [Theory]
    [InlineData("MASTER", "[lb1] VRRP Instance VI_1 - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=")]
    [InlineData("BACKUP", "[lb1] VRRP Instance VI_1 - Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <=")]
    [InlineData("FAULT", "[lb1] VRRP Instance VI_1 - Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=")]
    [InlineData("STOP", "[lb1] VRRP Instance VI_1 - Stopping", "=> VRRP Instance stopping <=")]
    public void Instance_States(string state, string subject, string body) =>
        Assert.Equal(new MailAlert(subject, body), KeepalivedMail.Instance("lb1", "VI_1", state));

    [Fact]
    public void Group_Master() => Assert.Equal(
        new MailAlert("[lb1] VRRP Group VG_1 - Entering MASTER state", "=> All VRRP group instances are now in MASTER state <="),
        KeepalivedMail.Group("lb1", "VG_1", "MASTER"));

    [Fact]
    public void Initialize_IsNotMailed() => Assert.Null(KeepalivedMail.Instance("lb1", "VI_1", "INIT"));

    [Fact]
    public void RealServer_SubjectNamesBothEndpoints() => Assert.Equal(
        "[lb1] Realserver [10.0.0.101]:tcp:80 of virtual server [192.168.1.120]:tcp:80 - DOWN",
        KeepalivedMail.RealServer("lb1", KeepalivedMail.Endpoint("10.0.0.101", "Tcp", 80), KeepalivedMail.Endpoint("192.168.1.120", "TCP", 80), up: false, "refused").Subject);
}
