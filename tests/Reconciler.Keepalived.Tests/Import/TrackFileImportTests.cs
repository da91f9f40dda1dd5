using Reconciler.Keepalived.Import;
using Reconciler.Topology;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary>keepalived's track_file (trackers/track_file.c) and FILE_CHECK (check/check_file.c).</summary>
public sealed class TrackFileImportTests
{
    private const string TrackFile = """
        track_file prio {
            file /run/lb/prio
            weight -3 reverse
            init_file 5 overwrite
        }
        """;

    private static TrackedCheck Tracked(string name, string path, int weight = 1, bool reverse = false, TrackedFileInit? init = null) =>
        new(name, [], TopologyDefaults.CheckInterval, TopologyDefaults.CheckTimeout(TopologyDefaults.CheckInterval), TopologyDefaults.CheckRise,
            TopologyDefaults.CheckFall, weight)
        {
            File = new TrackedFile(path, reverse, init),
        };

    [Fact]
    public void TrackFile_FileWeightReverseInit_ACheckReadingTheFile()
    {
        var topology = TopologyOf(TrackFile);

        Assert.Equal(Tracked("prio", "/run/lb/prio", -3, true, new TrackedFileInit(5, true)), Assert.Single(topology.Checks));
    }

    [Theory]
    [InlineData("track_file")]
    [InlineData("vrrp_track_file")]
    public void TrackFile_OnlyAFile_KeepalivedsDefaults_WeightOneNoInit(string keyword)
    {
        var topology = TopologyOf($"{keyword} f {{\n file /run/lb/f\n}}");

        Assert.Equal(Tracked("f", "/run/lb/f"), Assert.Single(topology.Checks));
    }

    [Theory]
    [InlineData("init_file", 0, false)]
    [InlineData("init_file overwrite", 0, true)]
    [InlineData("init_file overwrite -7", -7, true)]
    public void InitFile_ValueAndOverwriteInAnyOrder_NoValueIsZero(string line, int value, bool overwrite)
    {
        var topology = TopologyOf($"track_file f {{\n file /run/lb/f\n {line}\n}}");

        Assert.Equal(new TrackedFileInit(value, overwrite), Assert.Single(topology.Checks).File!.Init);
    }

    [Fact]
    public void TrackFile_WithoutFile_IsMissingValue()
    {
        var result = Run("track_file f {\n weight 2\n}");

        Assert.Equal(1, Single(result, "missing-value").Location!.Line);
        Assert.Empty(result.Topology?.Checks ?? []);
    }

    [Fact]
    public void TrackFile_WeightOutOfRange_IsAnError()
    {
        var result = Run("track_file f {\n file /run/lb/f\n weight 255\n}");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 3);
    }

    [Fact]
    public void VrrpInstance_TrackFile_EntriesWithAndWithoutWeight_ReverseOverridden()
    {
        var topology = TopologyOf(TrackFile + "\n" + MinimalInstance.Replace("    interface eth0", "    interface eth0\n    track_file {\n        prio weight 4 noreverse\n        prio2\n    }", StringComparison.Ordinal)
            + "\ntrack_file prio2 {\n file /run/lb/prio2\n}");

        Assert.Equal(
            [new TrackedCheckReference("prio", 4) { Reverse = false }, new TrackedCheckReference("prio2", null)],
            Assert.Single(topology.VrrpInstances).TrackChecks);
    }

    [Fact]
    public void SyncGroup_TrackFile_TheGroupsMembersTrackIt()
    {
        var topology = TopologyOf(TrackFile + """

            vrrp_sync_group G {
                group { VI_1 VI_2 }
                sync_group_tracking_weight
                track_file {
                    prio weight 2 reverse
                }
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress { 10.0.0.100 }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                virtual_ipaddress { 10.0.0.101 }
            }
            """);

        Assert.Equal([new TrackedCheckReference("prio", 2) { Reverse = true }], Assert.Single(topology.SyncGroups).TrackChecks);
    }

    [Fact]
    public void SyncGroupMember_WithoutTrackingWeight_AWeightedTrackedFileIsDropped_AsAScriptWouldBe()
    {
        var result = Run(TrackFile + """

            vrrp_sync_group G {
                group { VI_1 VI_2 }
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress { 10.0.0.100 }
                track_file {
                    prio
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                virtual_ipaddress { 10.0.0.101 }
            }
            """);

        var warning = Single(result, "sync-group-ignored");
        Assert.Contains("tracked file with a weight, here -3 (track_file prio's own)", warning.Message, StringComparison.Ordinal);
        Assert.All(result.Topology!.VrrpInstances, i => Assert.Empty(i.TrackChecks));
    }

    [Fact]
    public void FileCheck_TrackFileAndWeight_AFileHealthCheck()
    {
        var topology = TopologyOf(TrackFile + "\nvirtual_server 10.0.0.100 80 {\n real_server 10.0.1.1 8080 {\n  FILE_CHECK {\n   track_file prio\n   weight 10 reverse\n  }\n }\n}");
        var imported = topology.Services[0].HealthCheckOf(topology.Services[0].RealServers[0])!;

        Assert.Equal(HealthCheckKind.File, imported.Kind);
        Assert.Equal(new FileCheck("prio", 10, true), imported.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   weight 0 reverse\n")]
    public void FileCheck_NoWeightOrZero_TakesTheTrackedFilesWeight(string weight)
    {
        var topology = TopologyOf(TrackFile + $"\nvirtual_server 10.0.0.100 80 {{\n real_server 10.0.1.1 8080 {{\n  FILE_CHECK {{\n   track_file prio\n{weight}  }}\n }}\n}}");

        Assert.Equal(new FileCheck("prio", null, false), topology.Services[0].HealthCheckOf(topology.Services[0].RealServers[0])!.File);
    }

    [Fact]
    public void FileCheck_WithoutTrackFile_IsMissingValue()
    {
        var result = Run("virtual_server 10.0.0.100 80 {\n real_server 10.0.1.1 8080 {\n  FILE_CHECK {\n  }\n }\n}");

        Assert.Equal(3, Single(result, "missing-value").Location!.Line);
    }

    [Fact]
    public void Report_TopLevelTrackFileHoldsKeywords_AnInstancesTrackFileHoldsEntries()
    {
        var result = Run(TrackFile + "\n" + MinimalInstance.Replace("    interface eth0", "    interface eth0\n    track_file {\n        prio\n    }", StringComparison.Ordinal));

        var keywords = Assert.Single(result.Report.Nodes).Statements.Select(s => s.Keyword).ToList();
        Assert.Contains("track_file/file", keywords);
        Assert.Contains("track_file/init_file", keywords);
        Assert.Contains("vrrp_instance/track_file/(entry)", keywords);
        Assert.All(Assert.Single(result.Report.Nodes).Statements, s => Assert.Equal(ImportOutcome.Imported, s.Outcome));
    }
}
