using System.Diagnostics;
using System.Globalization;
using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Packaging;

/// <summary>
/// The Debian package (packaging/deb/build.sh; tests/run-all.sh builds it and sets RECONCILER_DEB) through its whole
/// life on the lab guest, which has no network at all: installed offline with apt-get, its files where they belong,
/// the agent started by its systemd unit on a director namespace (<see cref="AgentLab.Topology"/>: VRRP instance VI_1
/// with VIP 10.0.0.100 and the service 10.0.0.100:80 bound to it), upgraded (the running agent is restarted and comes
/// back to the same table), removed (the agent stops: VIPs released with a priority-0 advert, the IPVS table exactly
/// as the agent left it) and purged (state and settings gone, the kernel still untouched). The guest's init is busybox, so a real systemd runs as PID 1 of its own PID, mount, UTS and
/// cgroup namespaces inside the director's network namespace (<see cref="SystemdInNamespace"/>); apt-get, systemctl
/// and the maintainer scripts run in there, as on a director. The guest's root is the host's under a RAM overlay, so
/// nothing here reaches the host. One test: each step needs the one before.
/// </summary>
// Heavy on the guest's CPU (dpkg, systemd, the agent's start) for minutes: one after the other with the seed scenario,
// the other whole-system test, both beside the VRRP timing tests (the longest serial chain of the suite), so the suite
// takes no longer for it.
[Collection(WholeSystemTests.Collection)]
public sealed class DebianPackageTests(ITestOutputHelper output)
{
    private const string Unit = "reconciler-agent.service";

    [Fact]
    public void Package_InstallsOffline_UnitRunsTheAgent_UpgradeRestartsIt_RemoveLeavesIpvsAsTheAgentLeftIt_PurgeRemovesState()
    {
        Lab.RequireIpvsKernel();
        string deb = PackagePath();
        var timings = new List<string>();
        var clock = Stopwatch.StartNew();
        void Mark(string what)
        {
            timings.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: {clock.Elapsed.TotalSeconds:0.0} s"));
            output.WriteLine(timings[^1]);
            clock.Restart();
        }

        // Clean start: the package is not there.
        Assert.False(IsInstalled(), "reconciler is not installed before the test");
        foreach (var path in new[] { "/usr/bin/reconciler", "/usr/lib/reconciler", "/var/lib/reconciler", "/etc/reconciler" })
        {
            Assert.False(File.Exists(path) || Directory.Exists(path), $"{path} does not exist before the package is installed");
        }

        using var director = new Director();
        using var systemd = new SystemdInNamespace(director.Node);
        Mark("systemd started (PID 1 of its namespaces, up to its empty target)");

        // Installed offline (the guest has no network device), by apt-get as the README says: `apt-get install ./FILE`
        // from a folder both namespaces see (systemd's /tmp is its own).
        File.Copy(deb, Path.Combine(director.Scratch, Path.GetFileName(deb)));
        var install = systemd.Run("sh", "-c", $"cd '{director.Scratch}' && DEBIAN_FRONTEND=noninteractive exec apt-get install -y ./reconciler_*_amd64.deb");
        Assert.True(install.ExitCode == 0, $"apt-get install {deb} succeeds offline:\n{install.Output}{install.Error}");
        Mark("apt-get install");
        Assert.True(IsInstalled(), "dpkg lists reconciler as installed");

        // The files, where they belong, with their modes.
        var version = Lab.Run("/usr/bin/reconciler", "--version").Check("/usr/bin/reconciler --version").Trim();
        string packageVersion = Lab.Run("dpkg-query", "-W", "-f=${Version}", "reconciler").Check("dpkg-query").Trim();
        Assert.StartsWith(version.Split('+')[0], packageVersion, StringComparison.Ordinal);
        var libraries = Directory.GetFiles("/usr/lib/reconciler", "libgit2-*.so");
        Assert.NotEmpty(libraries);
        foreach (var library in libraries)
        {
            Assert.Equal("644 root", Stat(library));
            // LibGit2Sharp opens NativeLibraryPath/git2-HASH.so (src/Reconciler.Cli/Program.cs).
            var alias = Path.Combine("/usr/lib/reconciler", Path.GetFileName(library)["lib".Length..]);
            Assert.Equal(Path.GetFileName(library), new FileInfo(alias).LinkTarget);
        }

        string unitFile = File.ReadAllText("/lib/systemd/system/" + Unit);
        Assert.Contains("\nExecStart=/usr/bin/reconciler agent --config /etc/reconciler/agent.json\n", unitFile, StringComparison.Ordinal);
        Assert.DoesNotContain("DOTNET_", unitFile, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot(), "schemas", "topology.schema.json")), File.ReadAllText("/usr/share/reconciler/topology.schema.json"));
        Assert.True(File.Exists("/usr/share/doc/reconciler/copyright"), "copyright file");
        Assert.True(File.Exists("/usr/share/doc/reconciler/README.md"), "README");
        Assert.Contains("\"node\"", File.ReadAllText("/etc/reconciler/agent.json"), StringComparison.Ordinal);
        Assert.Contains("/etc/reconciler/agent.json", Lab.Run("dpkg-query", "-W", "-f=${Conffiles}", "reconciler").Check("dpkg-query"), StringComparison.Ordinal);
        Assert.Equal("700 root", Stat("/var/lib/reconciler"));
        var verify = systemd.Run("systemd-analyze", "verify", Unit);
        Assert.True(verify.ExitCode == 0, $"systemd-analyze verify {Unit}:\n{verify.Output}{verify.Error}");
        // Neither enabled nor started by the installation: the shipped settings are an example, and the unit's
        // Conflicts=keepalived.service would stop a keepalived still in charge.
        Assert.Equal("disabled", systemd.Systemctl("is-enabled", Unit));
        Assert.Equal("inactive", systemd.Systemctl("is-active", Unit));
        Mark("files checked");

        // The operator's part: settings, then `systemctl enable --now`.
        File.WriteAllText("/etc/reconciler/agent.json", $$"""
            {
              "node": "lb1",
              "repository": { "url": "file://{{director.Repository}}", "branch": "main" },
              "pollInterval": "2s",
              "driftInterval": "5s"
            }
            """);
        var enable = systemd.Run("systemctl", "enable", "--now", Unit);
        Assert.True(enable.ExitCode == 0, $"systemctl enable --now {Unit}:\n{enable.Output}{enable.Error}\n{systemd.Journal()}");
        Mark("systemctl enable --now (returns once the agent sent READY=1)");
        Assert.Equal("enabled", systemd.Systemctl("is-enabled", Unit));
        string state = systemd.Systemctl("is-active", Unit);
        Assert.True(state == "active", $"{Unit} is {state}, not active:\n{systemd.Journal()}");
        try
        {
            AgentLab.WaitUntil(() => director.ServiceTable() == AgentLab.AppliedTable && director.HasVip(), "the agent under systemd applied the topology and holds the VIP", AgentLab.AgentStartTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nipvsadm -Sn:\n{director.Ipvsadm("-Sn")}\n{systemd.Journal()}", e);
        }

        Mark("services applied and VIP held");
        Assert.Equal("0", systemd.Systemctl("show", "-p", "NRestarts", "--value", Unit));
        string applied = director.Ipvsadm("-Sn");

        // An upgrade (the same package, one revision up) restarts the running agent on the new files; it comes back to
        // the same table and takes the VIP again.
        string mainPid = systemd.Systemctl("show", "-p", "MainPID", "--value", Unit);
        string upgrade = Repackaged(deb, packageVersion + "+lab1", director.Scratch);
        var upgraded = systemd.Run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", upgrade);
        Assert.True(upgraded.ExitCode == 0, $"apt-get install {upgrade} (upgrade):\n{upgraded.Output}{upgraded.Error}");
        Mark("apt-get install (upgrade, agent restarted)");
        Assert.Equal(packageVersion + "+lab1", Lab.Run("dpkg-query", "-W", "-f=${Version}", "reconciler").Check("dpkg-query").Trim());
        Assert.Equal("enabled", systemd.Systemctl("is-enabled", Unit));
        Assert.Equal("active", systemd.Systemctl("is-active", Unit));
        Assert.NotEqual(mainPid, systemd.Systemctl("show", "-p", "MainPID", "--value", Unit));
        AgentLab.WaitUntil(() => director.Ipvsadm("-Sn") == applied && director.HasVip(), "the restarted agent holds the VIP over the same table", AgentLab.AgentStartTimeout);
        Mark("same table and VIP after the upgrade");

        // apt-get remove: prerm stops the agent. It releases the VIP (priority 0 on the wire) and leaves IPVS alone.
        using var capture = LabProcess.Start(director.Segment, "tcpdump", "-i", "eth0", "-l", "-n", "-tt", "ip proto 112");
        capture.WaitForLine("listening on", TimeSpan.FromSeconds(60));
        var removing = DateTimeOffset.UtcNow;
        var remove = systemd.Run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "reconciler");
        Assert.True(remove.ExitCode == 0, $"apt-get remove reconciler:\n{remove.Output}{remove.Error}");
        Mark("apt-get remove");
        Assert.NotEqual("active", systemd.Systemctl("is-active", Unit));
        Assert.Equal("0", systemd.Systemctl("show", "-p", "MainPID", "--value", Unit));
        Assert.Contains("Stopping: releasing VRRP (priority 0)", systemd.Journal(), StringComparison.Ordinal);
        capture.WaitForLine(
            line => CapturedAdvert.TryParse(line) is { Source: "10.0.0.1", Vrid: 51, Priority: 0 } advert && advert.At >= removing,
            "priority-0 advert for VRID 51 from the stopping agent",
            TimeSpan.FromSeconds(30));
        Assert.False(director.HasVip(), "the stopped agent released the VIP");
        Assert.Equal(applied, director.Ipvsadm("-Sn"));
        Assert.Equal(AgentLab.AppliedTable, director.ServiceTable());
        Assert.False(File.Exists("/usr/bin/reconciler"), "remove takes the program away");
        Assert.True(File.Exists("/etc/reconciler/agent.json"), "remove keeps the settings (a conffile)");
        Assert.True(Directory.Exists("/var/lib/reconciler"), "remove keeps the agent's state (ownership record, journal)");

        // apt-get purge: state and settings gone, the kernel still as the agent left it.
        var purge = systemd.Run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "reconciler");
        Assert.True(purge.ExitCode == 0, $"apt-get purge reconciler:\n{purge.Output}{purge.Error}");
        Mark("apt-get purge");
        Assert.False(IsInstalled(), "dpkg no longer knows reconciler");
        Assert.False(Directory.Exists("/var/lib/reconciler"), "purge removes /var/lib/reconciler");
        Assert.False(Directory.Exists("/etc/reconciler"), "purge removes /etc/reconciler");
        Assert.False(Directory.Exists("/usr/lib/reconciler"), "nothing of the package is left in /usr/lib");
        Assert.Equal(applied, director.Ipvsadm("-Sn"));
        output.WriteLine($"package {Path.GetFileName(deb)}, reconciler --version {version}; steps: {string.Join("; ", timings)}");
    }

    /// <summary><paramref name="deb"/> with another version in its control file: an upgrade to install over it.</summary>
    private static string Repackaged(string deb, string version, string folder)
    {
        string tree = Path.Combine(folder, "upgrade-tree");
        Lab.Run("dpkg-deb", "-R", deb, tree).Check("dpkg-deb -R");
        string control = Path.Combine(tree, "DEBIAN", "control");
        File.WriteAllLines(control, File.ReadAllLines(control).Select(l => l.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : l));
        string upgrade = Path.Combine(folder, $"reconciler_{version}_amd64.deb");
        Lab.Run("dpkg-deb", "--build", "--root-owner-group", "-Zgzip", "-z1", tree, upgrade).Check("dpkg-deb --build");
        return upgrade;
    }

    /// <summary>RECONCILER_DEB, or the newest artifacts/deb/reconciler_*_amd64.deb above the test binary.</summary>
    private static string PackagePath()
    {
        var configured = Environment.GetEnvironmentVariable("RECONCILER_DEB");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new FileNotFoundException($"RECONCILER_DEB={configured} does not exist");
        }

        var folder = Path.Combine(RepositoryRoot(), "artifacts", "deb");
        return (Directory.Exists(folder) ? Directory.GetFiles(folder, "reconciler_*_amd64.deb") : [])
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException("no Debian package: run 'bash packaging/deb/build.sh' or set RECONCILER_DEB");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "schemas", "topology.schema.json")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (schemas/topology.schema.json) was not found above " + AppContext.BaseDirectory);
    }

    private static bool IsInstalled()
    {
        var status = Lab.Run("dpkg-query", "-W", "-f=${db:Status-Status}", "reconciler");
        return status.ExitCode == 0 && status.Output.Trim() is not ("" or "not-installed");
    }

    /// <summary>"MODE OWNER" (octal permissions, user name).</summary>
    private static string Stat(string path) => Lab.Run("stat", "-c", "%a %U", path).Check("stat " + path).Trim();

    /// <summary>
    /// A director as in <see cref="AgentLab"/>: its namespace's eth0 (10.0.0.1/24) one end of a veth pair whose other
    /// end is the "segment" namespace (where VRRP adverts are captured), and the topology in a git repository under
    /// /srv (the unit's PrivateTmp, and systemd's own /tmp, hide the guest's /tmp from the agent and from apt-get).
    /// </summary>
    private sealed class Director : IDisposable
    {
        private readonly List<string> _namespaces = [];
        private readonly string _folder;

        public Director()
        {
            string id = Guid.NewGuid().ToString("N")[..8];
            Node = "rd" + id;
            Segment = "rg" + id;
            _folder = "/srv/reconciler-package-test-" + id;
            Repository = Path.Combine(_folder, "topology");
            Scratch = Path.Combine(_folder, "scratch");
            try
            {
                foreach (var space in new[] { Node, Segment })
                {
                    Lab.Run("ip", "netns", "add", space).Check("ip netns add " + space);
                    _namespaces.Add(space);
                }

                Lab.RunWithInput(
                    $"""
                    link set lo up
                    link add eth0 type veth peer name eth0 netns {Segment}
                    addr add 10.0.0.1/24 dev eth0
                    link set eth0 up

                    """,
                    "ip", "-n", Node, "-batch", "-").Check("director namespace setup");
                Lab.RunWithInput(
                    $"""
                    link set lo up
                    addr add {AgentLab.SegmentAddress}/24 dev eth0
                    link set eth0 up

                    """,
                    "ip", "-n", Segment, "-batch", "-").Check("segment namespace setup");
                Directory.CreateDirectory(Repository);
                Directory.CreateDirectory(Scratch);
                Git("init", "--quiet", "--initial-branch=main");
                File.WriteAllText(Path.Combine(Repository, "topology.yaml"), AgentLab.Topology);
                Git("add", "topology.yaml");
                Git("commit", "--quiet", "-m", "lb1: VIP 10.0.0.100 and web");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Node { get; }

        public string Segment { get; }

        public string Repository { get; }

        /// <summary>A folder for the test's own files (an upgrade package), seen by systemd's namespace (its /tmp is not the guest's).</summary>
        public string Scratch { get; }

        public string Ipvsadm(params string[] arguments) =>
            Lab.Run("ip", ["netns", "exec", Node, "ipvsadm", .. arguments]).Check("ipvsadm " + string.Join(' ', arguments));

        /// <summary>The lines of <c>ipvsadm -Sn</c> for the VIP's service.</summary>
        public string ServiceTable() =>
            string.Concat(Ipvsadm("-Sn").Split('\n').Where(l => l.Contains(AgentLab.Vip + ":80", StringComparison.Ordinal)).Select(l => l + "\n"));

        public bool HasVip() => VrrpLan.HasAddress(Node, AgentLab.Vip);

        private void Git(params string[] arguments) =>
            Lab.Run("git", ["-C", Repository, "-c", "user.name=Ops Alice", "-c", "user.email=alice@example.org", .. arguments]).Check("git " + string.Join(' ', arguments));

        public void Dispose()
        {
            foreach (var space in _namespaces)
            {
                Lab.Run("ip", "netns", "del", space);
            }

            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}

/// <summary>
/// systemd (the host's /lib/systemd/systemd) as PID 1 of new PID, mount, UTS and cgroup namespaces, inside network
/// namespace <c>space</c>: what it starts sees that namespace's network (IPVS table, links). Its mount namespace has
/// a fresh /run (so <c>[ -d /run/systemd/system ]</c> holds there only), its own /tmp and /var/tmp (its
/// systemd-tmpfiles-setup.service empties /tmp, which would otherwise be the guest's, under every other test's
/// files), /proc/sys and /sys read-only but
/// /proc/sys/net (as systemd-nspawn does: no unit of the guest's boot set changes the guest's kernel), and its own
/// cgroup2 tree. It boots to an empty target (lab.target, in /run) and starts nothing more until asked; in that
/// container mode (<c>container=</c>) it skips units meant for a real boot. A drop-in in /run gives the agent's unit
/// TimeoutStartSec=420 (the agent's start takes up to a minute under the lab's software emulation; 90 s is systemd's
/// default): the only difference from the unit as packaged. The build machines are containers whose
/// /usr/sbin/policy-rc.d (exit 101) forbids maintainer scripts every service action (deb-systemd-invoke would neither
/// stop the agent on removal nor restart it on upgrade); a director has none, so in here it says yes (exit 0).
/// Commands run inside through nsenter. Disposing kills
/// systemd (SIGKILL to the namespace's PID 1 ends every process in it).
/// </summary>
public sealed class SystemdInNamespace : IDisposable
{
    private readonly LabProcess _unshare;

    public SystemdInNamespace(string space)
    {
        string cgroup = "reconciler-lab-" + Guid.NewGuid().ToString("N")[..8];
        string script = $$"""
            set -e
            mount --make-rprivate /
            mount -t tmpfs -o mode=0755 tmpfs /run
            mount -t tmpfs -o mode=1777 tmpfs /tmp
            mount -t tmpfs -o mode=1777 tmpfs /var/tmp
            mkdir -p /run/systemd/system/reconciler-agent.service.d
            printf '[Unit]\nDescription=Lab: nothing but what a test starts\n' >/run/systemd/system/lab.target
            printf '[Service]\nTimeoutStartSec=420\n' >/run/systemd/system/reconciler-agent.service.d/lab-emulation.conf
            if [ -e /usr/sbin/policy-rc.d ]; then
              printf '#!/bin/sh\nexit 0\n' >/run/policy-rc.d && chmod 0755 /run/policy-rc.d
              mount --bind /run/policy-rc.d /usr/sbin/policy-rc.d
            fi
            mount --bind /proc/sys/net /proc/sys/net
            mount --rbind /proc/sys /proc/sys
            mount -o remount,bind,ro /proc/sys
            mount -o remount,bind,ro /sys
            mount -t cgroup2 cgroup2 /sys/fs/cgroup
            mkdir /sys/fs/cgroup/{{cgroup}}
            echo $$ >/sys/fs/cgroup/{{cgroup}}/cgroup.procs
            exec unshare --cgroup /bin/sh -c 'umount /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec env -i container=reconciler-lab PATH=/usr/sbin:/usr/bin:/sbin:/bin /lib/systemd/systemd --system --unit=lab.target --log-target=kmsg --show-status=no'
            """;
        _unshare = LabProcess.Start(space, "unshare", "--pid", "--fork", "--mount", "--uts", "--mount-proc", "/bin/sh", "-c", script);
        try
        {
            AgentLab.WaitUntil(() => FindSystemd() is > 0, "systemd runs as PID 1 of its namespace", TimeSpan.FromSeconds(120));
            Pid = FindSystemd() ?? 0;
            AgentLab.WaitUntil(
                () => Run("systemctl", "is-system-running").Output.Trim() is "running" or "degraded",
                "systemd reached its target",
                TimeSpan.FromSeconds(300));
        }
        catch (TimeoutException e)
        {
            Dispose();
            throw new TimeoutException($"{e.Message}\n{_unshare.Output}", e);
        }
    }

    /// <summary>systemd's PID as the guest sees it.</summary>
    public int Pid { get; }

    /// <summary>A command inside systemd's namespaces (and root), with the caller's environment.</summary>
    public ProcessResult Run(params string[] command) =>
        Lab.Run("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-a", "-r", "-w", .. command]);

    /// <summary><c>systemctl ARGS</c>: its output, trimmed (is-active and is-enabled answer with a non-zero exit too).</summary>
    public string Systemctl(params string[] arguments) => Run(["systemctl", .. arguments]).Output.Trim();

    /// <summary>The agent unit's journal, for assertions and failure messages.</summary>
    public string Journal() => Run("journalctl", "--no-pager", "-o", "short-monotonic", "-u", "reconciler-agent.service").Output;

    /// <summary>The unshare process's child once it has become systemd (it execs through two shells).</summary>
    private int? FindSystemd()
    {
        string children = $"/proc/{_unshare.Pid}/task/{_unshare.Pid}/children";
        if (!File.Exists(children))
        {
            return null;
        }

        foreach (var word in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int pid = int.Parse(word, CultureInfo.InvariantCulture);
            try
            {
                if (File.ReadAllText($"/proc/{pid}/comm").Trim() == "systemd")
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    public void Dispose()
    {
        if (Pid > 0)
        {
            Signals.Send(Pid, Signals.SIGKILL);
        }

        _unshare.Terminate(TimeSpan.FromSeconds(10));
        _unshare.Dispose();
    }
}
