using System.Text;
using System.Text.RegularExpressions;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Cli;

/// <summary>
/// plan and apply through the real executable against the real kernel, cross-checked with ipvsadm:
/// no-op after apply, one change = one netlink write, drift by hand repaired, other tools' services left alone,
/// stale saved plans refused, and a process killed mid-apply converging on the next run.
/// </summary>
public sealed partial class PlanApplyTests : IDisposable
{
    private const string Topology = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
        services:
          - name: web
            address: 10.0.0.120
            port: 80
            scheduler: wrr
            forwarding: dr
            persistence: {timeout: 50s}
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}
              - {address: 10.0.0.4, port: 80, weight: WEIGHT}
        """;

    private const string Applied = """
        -A -t 10.0.0.120:80 -s wrr -p 50
        -a -t 10.0.0.120:80 -r 10.0.0.3:80 -g -w 1
        -a -t 10.0.0.120:80 -r 10.0.0.4:80 -g -w 5

        """;

    private readonly LabNamespace _space = LabNamespace.Create();
    private readonly ReconcilerBinary _reconciler;
    private readonly string _topology;

    public PlanApplyTests()
    {
        _reconciler = new ReconcilerBinary(_space);
        _topology = System.IO.Path.Combine(_reconciler.StateDirectory, "topology.yaml");
        WriteTopology(weight: 5);
    }

    public void Dispose()
    {
        _reconciler.Dispose();
        _space.Dispose();
    }

    private void WriteTopology(int weight) => File.WriteAllText(_topology, Topology.Replace("WEIGHT", weight.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private ProcessResult Plan(params string[] extra) => _reconciler.Run(["plan", "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory, .. extra]);

    private ProcessResult Apply(params string[] extra) => _reconciler.Run(["apply", "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory, .. extra]);

    [Fact]
    public void Apply_ThenPlan_NoChangesAndIpvsadmListsTheTopology()
    {
        var apply = Apply();
        var plan = Plan("--detailed-exitcode");

        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("Apply complete: 3 of 3 operations done (3 added, 0 changed, 0 destroyed).", apply.Output, StringComparison.Ordinal);
        Assert.Equal(Applied, _space.Save());
        Assert.Equal((0, "No changes. The live state matches the topology.\n"), (plan.ExitCode, plan.Output));
    }

    [Fact]
    public void TopologyLosingEveryService_ApplyRefusedAndKernelUntouched_UntilMassRemovalAllowed()
    {
        Apply().Check("first apply");
        File.WriteAllText(_topology, "nodes:\n  - {name: lb1, addresses: [10.0.0.1]}\n"); // a truncated file, say

        var refused = Apply();
        var afterRefusal = _space.Save();
        var allowed = Apply("--allow-mass-removal");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("reconciler: the plan deletes every service this node manages (1); nothing was applied.", refused.Error, StringComparison.Ordinal);
        Assert.Equal(Applied, afterRefusal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("0 added, 0 changed, 3 destroyed", allowed.Output, StringComparison.Ordinal);
        Assert.Equal("", _space.Save());
    }

    [Fact]
    public void WeightChange_PlanShowsOneUpdate_ApplySendsExactlyOneNetlinkWrite()
    {
        Apply().Check("first apply");
        WriteTopology(weight: 3);

        var plan = Plan("--detailed-exitcode");
        var trace = System.IO.Path.Combine(_reconciler.StateDirectory, "apply.strace");
        var apply = _reconciler.RunTraced(trace, "apply", "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory);

        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("~ real server 10.0.0.4:80 of web (TCP 10.0.0.120:80)\n      ~ weight: 5 -> 3\n", plan.Output, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to add, 1 to change, 0 to destroy.", plan.Output, StringComparison.Ordinal);
        Assert.Equal(0, apply.ExitCode);
        Assert.Equal([6], NetlinkWrites(File.ReadAllText(trace)));
        Assert.Equal(Applied.Replace("-w 5", "-w 3", StringComparison.Ordinal), _space.Save());
    }

    [Fact]
    public void RealServerDeletedByHand_PlanShowsDrift_ApplyRepairsIt()
    {
        Apply().Check("first apply");
        _space.IpvsadmOk("-d", "-t", "10.0.0.120:80", "-r", "10.0.0.3:80");

        var plan = Plan();
        var apply = Apply();

        Assert.Contains("+ real server 10.0.0.3:80 of web (TCP 10.0.0.120:80) [drift]", plan.Output, StringComparison.Ordinal);
        Assert.Contains("(deleted outside reconciler)", plan.Output, StringComparison.Ordinal);
        Assert.Contains("1 drift repaired", apply.Output, StringComparison.Ordinal);
        Assert.Equal(Applied, _space.Save());
    }

    [Fact]
    public void ServiceCreatedByHand_ListedAsUnmanagedAndLeftAlone()
    {
        Apply().Check("first apply");
        _space.IpvsadmOk("-A", "-t", "10.0.0.200:8080", "-s", "rr");
        _space.IpvsadmOk("-a", "-t", "10.0.0.200:8080", "-r", "10.0.0.9:8080", "-m");

        var plan = Plan("--detailed-exitcode");
        var apply = Apply();

        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("Unmanaged (not in the topology, not applied by reconciler; left alone):\n  TCP 10.0.0.200:8080 with 1 real server\n", plan.Output, StringComparison.Ordinal);
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("-A -t 10.0.0.200:8080 -s rr\n-a -t 10.0.0.200:8080 -r 10.0.0.9:8080 -m -w 1\n", _space.Save(), StringComparison.Ordinal);
    }

    [Fact]
    public void SavedPlanAppliedAfterKernelChanged_RefusedAsStale()
    {
        var planFile = System.IO.Path.Combine(_reconciler.StateDirectory, "web.plan");
        Plan("-o", planFile).Check("plan -o");
        _space.IpvsadmOk("-A", "-t", "10.0.0.200:8080", "-s", "rr");
        var before = _space.Save();

        var apply = _reconciler.Run("apply", "--state-dir", _reconciler.StateDirectory, planFile);

        Assert.Equal(1, apply.ExitCode);
        Assert.Contains("stale plan: the live state changed since the plan was made", apply.Error, StringComparison.Ordinal);
        Assert.Equal(before, _space.Save());
    }

    [Fact]
    public void SavedPlanWhileKernelUnchanged_AppliedExactly()
    {
        var planFile = System.IO.Path.Combine(_reconciler.StateDirectory, "web.plan");
        Plan("-o", planFile).Check("plan -o");

        var apply = _reconciler.Run("apply", "--state-dir", _reconciler.StateDirectory, planFile);

        Assert.Equal(0, apply.ExitCode);
        Assert.Equal(Applied, _space.Save());
    }

    [Fact]
    public void InvalidTopology_ErrorsLocatedAndKernelUntouched()
    {
        Apply().Check("first apply");
        File.WriteAllText(_topology, Topology.Replace("WEIGHT", "70000", StringComparison.Ordinal).Replace("scheduler: wrr", "scheduler: nope", StringComparison.Ordinal));

        var apply = Apply();

        Assert.Equal(1, apply.ExitCode);
        Assert.Contains(_topology + ":", apply.Error, StringComparison.Ordinal);
        Assert.Contains("70000", apply.Error, StringComparison.Ordinal);
        Assert.Contains("nope", apply.Error, StringComparison.Ordinal);
        Assert.Equal(Applied, _space.Save());
    }

    [Fact]
    public void KilledInTheMiddleOfALargeApply_NextApplyConvergesWithoutDuplicatesOrOrphans()
    {
        const int services = 600;
        File.WriteAllText(_topology, LargeTopology(services));
        var kill = MiddleWriteBatch();
        _space.IpvsadmOk("-C");
        File.Delete(System.IO.Path.Combine(_reconciler.StateDirectory, "ownership.json"));

        var killed = Lab.Run("ip", "netns", "exec", _space.Name, "strace", "-f", "-qq", "-o", "/dev/null",
            "-e", "trace=sendmsg", "-e", $"inject=sendmsg:signal=KILL:when={kill.Index}",
            ReconcilerBinary.Path, "apply", "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory);
        var rulesAfterKill = _space.Save().Split('\n').Count(l => l.StartsWith("-a", StringComparison.Ordinal) || l.StartsWith("-A", StringComparison.Ordinal));
        var apply = Apply();
        var plan = Plan("--detailed-exitcode");
        var full = _space.Save();
        File.WriteAllText(_topology, "nodes:\n  - name: lb1\n    addresses: [10.0.0.1]\n");
        var empty = Apply("--allow-mass-removal"); // everything goes: no orphan may stay behind

        Assert.NotEqual(0, killed.ExitCode);
        Assert.InRange(rulesAfterKill, 1, services * 11 - 1);
        Assert.Equal(0, apply.ExitCode);
        Assert.DoesNotContain("FAILED", apply.Output, StringComparison.Ordinal);
        Assert.Equal(0, plan.ExitCode);
        Assert.Equal(services, full.Split('\n').Count(l => l.StartsWith("-A", StringComparison.Ordinal)));
        Assert.Equal(services * 10, full.Split('\n').Count(l => l.StartsWith("-a", StringComparison.Ordinal)));
        Assert.Equal(0, empty.ExitCode);
        Assert.Equal("", _space.Save());
    }

    /// <summary>
    /// Traces one complete apply from an empty table and returns the 1-based position, among all of its sendmsg
    /// calls, of the middle IPVS write batch: SIGKILL delivered on entry to that call leaves the earlier batches in
    /// the kernel and the later ones not, every run, however fast the machine is.
    /// </summary>
    private (int Index, int Batches) MiddleWriteBatch()
    {
        var trace = System.IO.Path.Combine(_reconciler.StateDirectory, "count.strace");
        _reconciler.RunTraced(trace, "apply", "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory).Check("traced apply");
        // strace counts injections per syscall and per thread ("tracee"): position within the writing thread.
        var calls = File.ReadAllLines(trace).Where(l => l.Contains("sendmsg(", StringComparison.Ordinal)).ToList();
        var writer = calls.First(l => NetlinkWrites(l).Count > 0).Split(' ', 2)[0];
        var writes = calls.Where(l => l.Split(' ', 2)[0] == writer)
            .Select((line, index) => (line, index)).Where(c => NetlinkWrites(c.line).Count > 0).Select(c => c.index + 1).ToList();
        Assert.True(writes.Count >= 3, $"a large apply should take several write batches, took {writes.Count}");
        return (writes[writes.Count / 2], writes.Count);
    }

    private static string LargeTopology(int services)
    {
        var text = new StringBuilder("nodes:\n  - name: lb1\n    addresses: [10.0.0.1]\nservices:\n");
        for (var i = 0; i < services; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - name: s{i}\n    address: 10.1.{i / 250}.{i % 250 + 1}\n    port: 80\n    scheduler: rr\n    forwarding: nat\n    realServers:\n");
            for (var r = 0; r < 10; r++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - {{address: 10.0.0.{r + 10}, port: {8000 + i % 50}}}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The IPVS generic netlink commands of every write request (NLM_F_REQUEST|NLM_F_ACK, no dump, not to
    /// the controller that resolves the family) in an strace log.</summary>
    private static List<int> NetlinkWrites(string strace) =>
        WriteRequest().Matches(strace)
            .Where(m => m.Groups["type"].Value is not ("0x10" or "nlctrl" or "GENL_ID_CTRL"))
            .Select(m => Convert.ToInt32(m.Groups["cmd"].Value, 16))
            .Where(cmd => cmd is >= 1 and <= 7 and not 4)
            .ToList();

    [GeneratedRegex(@"nlmsg_type=(?<type>[^ ,]+)[^,]*, nlmsg_flags=NLM_F_REQUEST\|NLM_F_ACK, [^}]*\}, ""\\x(?<cmd>[0-9a-f]{2})")]
    private static partial Regex WriteRequest();
}
