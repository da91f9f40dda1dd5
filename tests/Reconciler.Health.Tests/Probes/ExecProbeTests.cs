using System.Globalization;
using Reconciler.Health.Probes;
using Reconciler.Tests.Shared.Scripts;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Real processes (/bin/sh), real time.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExecProbeTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["RECONCILER_SERVICE"] = "web",
        ["RECONCILER_REAL_SERVER_ADDRESS"] = "10.0.0.101",
        ["RECONCILER_REAL_SERVER_PORT"] = "80",
    };

    private static ExecProbe Shell(string script, bool dynamicWeight = false, double timeoutSeconds = 10, Reconciler.Scripts.IScriptRunner? runner = null) =>
        new(["/bin/sh", "-c", script], TimeSpan.FromSeconds(timeoutSeconds), dynamicWeight, Environment, runner ?? ScriptFixtures.AsNobody);

    [Fact]
    public async Task Probe_ExitZero_Healthy()
    {
        var result = await Shell("exit 0").ProbeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new ProbeResult(true, "exec /bin/sh -c exit 0 exit 0"), result);
    }

    [Fact]
    public async Task Probe_ExitOne_UnhealthyQuotingTheOutput()
    {
        var result = await Shell("echo \"$RECONCILER_SERVICE $RECONCILER_REAL_SERVER_ADDRESS:$RECONCILER_REAL_SERVER_PORT refused\" >&2; exit 1")
            .ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.EndsWith(" exit 1: web 10.0.0.101:80 refused", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(7, 5)]
    [InlineData(255, 253)]
    public async Task Probe_DynamicWeightExitCode_HealthyWithCodeMinusTwo(int code, int weight)
    {
        var result = await Shell($"exit {code}", dynamicWeight: true).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy);
        Assert.Equal(weight, result.DynamicWeight);
        Assert.Contains($"exit {code} (weight {weight})", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_DynamicWeightExitZero_HealthyAtConfiguredWeight()
    {
        var result = await Shell("exit 0", dynamicWeight: true).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy);
        Assert.Null(result.DynamicWeight);
    }

    [Fact]
    public async Task Probe_ExitSevenWithoutDynamicWeight_Unhealthy()
    {
        var result = await Shell("exit 7").ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.EndsWith("exit 7", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MissingCommand_UnhealthyFailedToStart()
    {
        var probe = new ExecProbe(["/nonexistent/check"], TimeSpan.FromSeconds(5), false, Environment, ScriptFixtures.AsNobody);

        var result = await probe.ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.StartsWith("exec /nonexistent/check failed to start: ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Timeout_KillsTheWholeProcessTree()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        var pidFile = Path.Combine(folder.FullName, "pid");
        try
        {
            // The shell starts a grandchild (sleep) and waits on it: both must die. As root (the opt-in): a shell opens
            // /dev/null for a background job, which this host's sandbox denies to nobody.
            var result = await Shell($"sleep 60 & echo $! > {pidFile}; wait", timeoutSeconds: 1, runner: ScriptFixtures.AsRoot).ProbeAsync(TestContext.Current.CancellationToken);

            Assert.False(result.Healthy);
            Assert.EndsWith("timed out after 1s, killed", result.Detail, StringComparison.Ordinal);
            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            await Support.Wait.UntilAsync(() => !IsAlive(grandchild), "the grandchild to die");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Probe_Timeout_KillsAnOrphanedGrandchildOfItsProcessGroup()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        var pidFile = Path.Combine(folder.FullName, "pid");
        try
        {
            // The inner shell starts sleep and exits: sleep is reparented away from the command's process tree (found by
            // no tree walk), but stays in the command's process group, which the timeout kills whole. As root, for the
            // same reason as above.
            var result = await Shell($"sh -c 'sleep 60 & echo $! > {pidFile}'; sleep 60", timeoutSeconds: 1, runner: ScriptFixtures.AsRoot)
                .ProbeAsync(TestContext.Current.CancellationToken);

            Assert.EndsWith("timed out after 1s, killed", result.Detail, StringComparison.Ordinal);
            var orphan = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            await Support.Wait.UntilAsync(() => !IsAlive(orphan), "the orphaned grandchild to die");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Probe_ByDefault_RunsAsTheUnprivilegedScriptUser()
    {
        var result = await Shell("id -u; test \"$(id -u)\" = 65534").ProbeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new ProbeResult(true, "exec /bin/sh -c id -u; test \"$(id -u)\" = 65534 exit 0: 65534"), result);
    }

    [Fact]
    public async Task Probe_SecretInTheAgentsEnvironment_NotPassedOn()
    {
        System.Environment.SetEnvironmentVariable("RECONCILER_EXEC_PROBE_TEST_TOKEN", "s3cret");
        try
        {
            var result = await Shell("env | grep s3cret; test -z \"$RECONCILER_EXEC_PROBE_TEST_TOKEN\"").ProbeAsync(TestContext.Current.CancellationToken);

            Assert.True(result.Healthy, result.Detail);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("RECONCILER_EXEC_PROBE_TEST_TOKEN", null);
        }
    }

    [Fact]
    public async Task Probe_CommandInAFolderOthersCanWrite_RefusedAndNeverRun()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        try
        {
            var marker = Path.Combine(folder.FullName, "ran");
            var check = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), $"touch {marker}");
            var probe = new ExecProbe([check], TimeSpan.FromSeconds(5), false, Environment, ScriptFixtures.AsNobody);

            var result = await probe.ProbeAsync(TestContext.Current.CancellationToken);

            Assert.False(result.Healthy);
            Assert.Equal($"exec {check} not run: {check}: refused, {folder.FullName} is writable by everyone (mode 777) (a command must be changeable by root only)", result.Detail);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Alive = exists and is not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
