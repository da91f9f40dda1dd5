using Reconciler.Keepalived.Import;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary><c>vrrp_sync_group</c> as keepalived 2.2.7 reads it (its findings, quoted in the warnings, checked with
/// <c>keepalived -t</c>): members, group tracking and notify, and what keepalived changes or ignores.</summary>
public sealed class SyncGroupImportTests
{
    /// <summary>The NAT director pair of keepalived's documentation: the outside VIP and the real servers' inside
    /// gateway fail over together. VI_1 tracks a script with a weight and an interface with a weight.</summary>
    private static string NatPair(int priority, string group = "") => $$"""
        vrrp_script chk_haproxy {
            script "/usr/bin/pgrep haproxy"
            weight -20
        }
        vrrp_script chk_uplink {
            script "/usr/local/bin/check-uplink"
        }
        vrrp_sync_group VG_1 {
            group {
                VI_1
                VI_2
            }
            notify_master "/etc/keepalived/nat.sh master" root
            notify_backup /etc/keepalived/nat.sh backup
            notify_fault "/etc/keepalived/nat.sh fault"
            {{group}}
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            virtual_ipaddress {
                192.168.200.16/24
            }
            track_script {
                chk_haproxy
                chk_uplink
            }
            track_interface {
                eth2 weight -10
            }
        }
        vrrp_instance VI_2 {
            interface eth1
            virtual_router_id 52
            priority {{priority}}
            virtual_ipaddress {
                10.0.0.1/24
            }
        }
        """;

    private static KeepalivedImportResult Pair(string lb1, string lb2) =>
        KeepalivedImporter.ImportText([new KeepalivedText("lb1", "lb1.conf", lb1), new KeepalivedText("lb2", "lb2.conf", lb2)]);

    private static string Instances(params string[] names) => string.Concat(names.Select((n, i) =>
        $"vrrp_instance {n} {{\n    interface eth0\n    virtual_router_id {i + 101}\n}}\n"));

    private static List<string> Findings(KeepalivedImportResult result, string code) =>
        result.Diagnostics.Where(d => d.Code == code).Select(d => $"{d.Location!.File}:{d.Location.Line}:{d.Location.Column}").ToList();

    [Fact]
    public void NatPair_OneGroupOverBothNodes_WithItsNotifyCommands()
    {
        var result = Pair(NatPair(150), NatPair(100));

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var group = Assert.Single(result.Topology!.SyncGroups);
        Assert.Equal(
            new VrrpSyncGroup(
                "VG_1",
                ["VI_1", "VI_2"],
                [],
                [],
                new VrrpNotify("/etc/keepalived/nat.sh master", "/etc/keepalived/nat.sh backup", "/etc/keepalived/nat.sh fault", null, null, null),
                TrackingWeights: false),
            group);
        Assert.Same(group, result.Topology.SyncGroupOf("VI_2"));
    }

    [Fact]
    public void NatPair_MemberTracking_WeightedScriptIgnoredAndInterfaceWeightZero_AsKeepalivedDoes()
    {
        var result = Pair(NatPair(150), NatPair(100));

        var member = result.Topology!.FindVrrpInstance("VI_1")!;
        Assert.Equal([new TrackedCheckReference("chk_uplink", null)], member.TrackChecks);
        Assert.Equal([new TrackedInterface("eth2", 0)], member.TrackInterfaces);
        Assert.Equal(["lb1.conf:26:9", "lb2.conf:26:9"], Findings(result, "sync-group-ignored"));
        Assert.Equal(["lb1.conf:30:9", "lb2.conf:30:9"], Findings(result, "sync-group-weight"));
        var script = result.Diagnostics.First(d => d.Code == "sync-group-ignored").Message;
        Assert.Contains("here -20 (vrrp_script chk_haproxy's own)", script, StringComparison.Ordinal);
        Assert.Contains("ignoring tracked script chk_haproxy with weights due to SYNC group", script, StringComparison.Ordinal);
        Assert.Contains("gets weight 0, not -10", result.Diagnostics.First(d => d.Code == "sync-group-weight").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NatPair_Report_GroupImported_MemberScriptDropped_InterfaceAdjusted()
    {
        var report = Pair(NatPair(150), NatPair(100)).Report.Nodes[0];

        string Outcome(int line) => string.Join(", ", report.Statements.Where(s => s.Location.Line == line).Select(s => $"{s.Keyword} {s.Outcome}"));
        Assert.Equal("vrrp_sync_group Imported", Outcome(8));
        Assert.Equal("vrrp_sync_group/group/(entry) Imported", Outcome(10));
        Assert.Equal("vrrp_sync_group/notify_master Adjusted", Outcome(13)); // its user, root, is dropped
        Assert.Equal("vrrp_sync_group/notify_backup Imported", Outcome(14));
        Assert.Equal("vrrp_instance/track_script/(entry) Dropped", Outcome(26));
        Assert.Equal("vrrp_instance/track_script/(entry) Imported", Outcome(27));
        Assert.Equal("vrrp_instance/track_interface/(entry) Adjusted", Outcome(30));
        Assert.Contains("SYNC group", report.Statements.Single(s => s.Location.Line == 26).Reason, StringComparison.Ordinal);
        Assert.Contains("gets weight 0", report.Statements.Single(s => s.Location.Line == 30).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupTracking_IsTheGroups_WithItsWeights_AndItsInterfacesAreTheNodes()
    {
        var topology = TopologyOf("""
            vrrp_script chk {
                script "/bin/true"
            }
            vrrp_sync_group VG_1 {
                group { VI_1 VI_2 }
                track_script {
                    chk weight -20
                }
                track_interface {
                    eth3
                    eth4 weight 10
                }
            }
            """ + "\n" + Instances("VI_1", "VI_2"));

        var group = Assert.Single(topology.SyncGroups);
        Assert.Equal(["VI_1", "VI_2"], group.Instances);
        Assert.Equal([new TrackedCheckReference("chk", -20)], group.TrackChecks);
        Assert.Equal([new TrackedInterface("eth3", 0), new TrackedInterface("eth4", 10)], group.TrackInterfaces);
        Assert.Equal(["eth0", "eth3", "eth4"], topology.Nodes[0].Interfaces);
    }

    [Theory]
    [InlineData("sync_group_tracking_weight", 0)]
    [InlineData("global_tracking", 1)]
    public void TrackingWeight_MembersKeepTheirWeights(string keyword, int deprecated)
    {
        var result = Pair(NatPair(150, keyword), NatPair(100, keyword));

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.True(result.Topology!.SyncGroups[0].TrackingWeights);
        var member = result.Topology.FindVrrpInstance("VI_1")!;
        Assert.Equal([new TrackedCheckReference("chk_haproxy", null), new TrackedCheckReference("chk_uplink", null)], member.TrackChecks);
        Assert.Equal([new TrackedInterface("eth2", -10)], member.TrackInterfaces);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code.StartsWith("sync-group", StringComparison.Ordinal));
        Assert.Equal(2 * deprecated, result.Diagnostics.Count(d => d.Code == "deprecated" && d.Location!.Line == 16));
    }

    [Fact]
    public void MemberScripts_OnlyThoseWithAnEffectiveWeightAreIgnored()
    {
        var result = Run("""
            vrrp_script weighted {
                script "/bin/true"
                weight 10
            }
            vrrp_script plain {
                script "/bin/true"
            }
            vrrp_sync_group VG_1 {
                group { VI_1 VI_2 }
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 1
                track_script {
                    weighted
                    weighted weight 0
                    plain
                    plain weight -5
                }
            }
            """ + "\n" + Instances("VI_0", "VI_2"));

        Assert.Equal([new TrackedCheckReference("weighted", 0), new TrackedCheckReference("plain", null)], result.Topology!.FindVrrpInstance("VI_1")!.TrackChecks);
        Assert.Equal(["k.conf:15:9", "k.conf:18:9"], Findings(result, "sync-group-ignored"));
    }

    [Fact]
    public void MemberThatIsNoInstance_IsIgnoredWithWarningAtItsName()
    {
        var result = Run("vrrp_sync_group VG_1 {\n    group {\n        VI_1 VI_9\n        VI_2\n    }\n}\n" + Instances("VI_1", "VI_2"));

        Assert.Equal(["VI_1", "VI_2"], Assert.Single(result.Topology!.SyncGroups).Instances);
        var warning = Single(result, "sync-group-ignored");
        Assert.Equal((3, 14), (warning.Location!.Line, warning.Location.Column));
        Assert.Contains("doesn't exist - ignoring", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceInTwoGroups_StaysInTheFirst()
    {
        var result = Run("""
            vrrp_sync_group VG_1 {
                group { VI_1 VI_2 }
            }
            vrrp_sync_group VG_2 {
                group { VI_2 VI_3 VI_4 }
            }
            """ + "\n" + Instances("VI_1", "VI_2", "VI_3", "VI_4"));

        Assert.Equal([["VI_1", "VI_2"], ["VI_3", "VI_4"]], result.Topology!.SyncGroups.Select(g => g.Instances.ToArray()));
        var warning = Single(result, "sync-group-ignored");
        Assert.Equal((5, 13), (warning.Location!.Line, warning.Location.Column));
        Assert.Contains("already in vrrp_sync_group VG_1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupOfOne_IsFoldedIntoItsInstance_TrackingMoved_NotifyDropped()
    {
        var result = Run("""
            vrrp_script chk {
                script "/bin/true"
            }
            vrrp_sync_group VG_1 {
                group { VI_1 VI_9 }
                track_script {
                    chk weight -10
                }
                track_interface {
                    eth3
                }
                notify_master /bin/group-master
            }
            """ + "\n" + Instances("VI_1"));

        Assert.Empty(result.Topology!.SyncGroups);
        var instance = result.Topology.VrrpInstances[0];
        Assert.Equal([new TrackedCheckReference("chk", -10)], instance.TrackChecks);
        Assert.Equal([new TrackedInterface("eth3", 0)], instance.TrackInterfaces);
        Assert.Null(instance.Notify);
        Assert.Equal(["eth0", "eth3"], result.Topology.Nodes[0].Interfaces);
        Assert.Equal(["k.conf:4:1", "k.conf:6:5", "k.conf:9:5"], Findings(result, "sync-group-single"));
        Assert.Equal(["k.conf:5:18", "k.conf:12:5"], Findings(result, "sync-group-ignored"));
        var report = Assert.Single(result.Report.Nodes);
        Assert.Equal(
            ["vrrp_sync_group Adjusted", "vrrp_sync_group/track_script Adjusted", "vrrp_sync_group/notify_master Dropped"],
            report.Statements.Where(s => s.Location.Line is 4 or 6 or 12).Select(s => $"{s.Keyword} {s.Outcome}"));
    }

    [Fact]
    public void GroupWithNothingLeft_IsDropped()
    {
        var result = Run("vrrp_sync_group VG_1 {\n    group {\n        VI_1\n    }\n}\nvrrp_sync_group VG_2 {\n    group {\n        VI_8 VI_9\n    }\n}\n" + Instances("VI_1"));

        Assert.Empty(result.Topology!.SyncGroups);
        Assert.Equal(["k.conf:1:1", "k.conf:6:1", "k.conf:8:9", "k.conf:8:14"], Findings(result, "sync-group-ignored"));
        Assert.All(
            Assert.Single(result.Report.Nodes).Statements.Where(s => s.Keyword.StartsWith("vrrp_sync_group", StringComparison.Ordinal)),
            s => Assert.Equal(ImportOutcome.Dropped, s.Outcome));
    }

    [Fact]
    public void UnsupportedKeywords_AreWarnedWithWhatToDoInstead()
    {
        var result = Run("""
            vrrp_sync_group VG_1 {
                group { VI_1 VI_2 }
                track_process {
                    p
                }
                track_bfd {
                    b
                }
                smtp_alert
                notify_deleted
            }
            """ + "\n" + Instances("VI_1", "VI_2"));

        Assert.Single(result.Topology!.SyncGroups);
        var warnings = result.Diagnostics.Where(d => d.Code == "unsupported-keyword").ToList();
        Assert.Equal([3, 6, 9, 10], warnings.Select(w => w.Location!.Line));
        Assert.Contains("a vrrp_script that tests the process or BFD session", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("global_defs has no smtp_server and notification_email, so keepalived sends no mail either", warnings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinedTwiceInAFile_IsAnError()
    {
        var result = Run("vrrp_sync_group VG_1 {\n group { VI_1 VI_2 }\n}\nvrrp_sync_group VG_1 {\n group { VI_1 VI_2 }\n}\n" + Instances("VI_1", "VI_2"));

        Assert.Null(result.Topology);
        Assert.Equal(4, Assert.Single(result.Diagnostics, d => d.IsError && d.Code == "duplicate-name").Location!.Line);
    }

    [Fact]
    public void GroupTrackingAnUndefinedScript_IsWarnedAndDropped()
    {
        var result = Run("vrrp_sync_group VG_1 {\n group { VI_1 VI_2 }\n track_script {\n  nothere\n }\n}\n" + Instances("VI_1", "VI_2"));

        Assert.Empty(result.Topology!.SyncGroups[0].TrackChecks);
        Assert.Equal(["k.conf:4:3"], Findings(result, "unknown-check"));
    }

    [Theory]
    [InlineData("VI_2\n        VI_1", null)]
    [InlineData("VI_1\n        VI_2\n        VI_3", "instances")]
    public void Merge_NodesMustAgreeOnMembers_InAnyOrder(string lb2Members, string? difference)
    {
        static string Config(string members) => $"vrrp_sync_group VG_1 {{\n    group {{\n        {members}\n    }}\n}}\n" + Instances("VI_1", "VI_2", "VI_3");

        var result = Pair(Config("VI_1\n        VI_2"), Config(lb2Members));

        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        if (difference is null)
        {
            Assert.Empty(errors);
            return;
        }

        var error = Assert.Single(errors);
        Assert.Equal(new SourceLocation("lb2.conf", 1, 1), error.Location);
        Assert.Contains($"contradicts node lb1 (lb1.conf:1:1) in: {difference}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentSettings_AreAContradictionInBothFiles()
    {
        var result = Pair(NatPair(150), NatPair(100, "notify /bin/any\nsync_group_tracking_weight"));

        Assert.Null(result.Topology);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "contradicting-nodes" && d.Message.StartsWith("vrrp_sync_group", StringComparison.Ordinal));
        Assert.Equal(new SourceLocation("lb2.conf", 8, 1), error.Location);
        Assert.Contains("(lb1.conf:8:1) in: notify, trackingWeights", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NodeWithAMemberButNotTheGroup_IsAContradiction()
    {
        var result = Pair(NatPair(150), Instances("VI_1", "VI_2"));

        var error = Assert.Single(result.Diagnostics, d => d.Code == "contradicting-nodes" && d.Message.StartsWith("vrrp_sync_group", StringComparison.Ordinal));
        Assert.Equal(new SourceLocation("lb2.conf", 1, 1), error.Location);
        Assert.Contains("vrrp_instance VI_1 in no group of two or more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_MemberTrackingAWeightedScriptOnlyAnotherNodeDefines_IsDropped()
    {
        const string Lb2 = """
            vrrp_sync_group VG_1 {
                group { VI_1 VI_2 }
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 1
                track_script {
                    chk
                }
            }
            """;

        var result = Pair("vrrp_script chk {\n    script /bin/true\n    weight 10\n}\n", Lb2 + "\n" + Instances("VI_2"));

        Assert.Empty(result.Topology!.FindVrrpInstance("VI_1")!.TrackChecks);
        var warning = Single(result, "unknown-check");
        Assert.Equal(new SourceLocation("lb2.conf", 8, 9), warning.Location);
        Assert.Contains("the import drops it", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionalLines_AGroupOnlyOneDirectorReads_IsThatDirectorsOnly()
    {
        const string Shared = """
            @lb1 vrrp_sync_group VG_1 {
            @lb1     group {
            @lb1         VI_1
            @lb1         VI_2
            @lb1     }
            @lb1 }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 1
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 2
            }
            """;

        Assert.Equal(["VI_1", "VI_2"], Assert.Single(KeepalivedImporter.ImportText(Shared, "s.conf", "lb1").Topology!.SyncGroups).Instances);
        Assert.Empty(KeepalivedImporter.ImportText(Shared, "s.conf", "lb2").Topology!.SyncGroups);
    }

    [Fact]
    public void ConditionalLines_OneSharedFile_EachDirectorsLinesMakeOneGroup()
    {
        var shared = NatPair(0).Replace("priority 0", "@lb1 priority 150\n    @lb2 priority 100", StringComparison.Ordinal);

        var result = KeepalivedImporter.ImportText([new KeepalivedText("lb1", "s.conf", shared), new KeepalivedText("lb2", "s.conf", shared)]);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.Equal(["VI_1", "VI_2"], Assert.Single(result.Topology!.SyncGroups).Instances);
        Assert.Equal([KeyValuePair.Create("lb1", 150), KeyValuePair.Create("lb2", 100)], result.Topology.FindVrrpInstance("VI_2")!.Priorities);
    }
}
