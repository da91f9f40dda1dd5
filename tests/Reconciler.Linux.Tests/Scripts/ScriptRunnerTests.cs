using Reconciler.Linux.Scripts;
using Reconciler.Scripts;
using Reconciler.Tests.Shared.Scripts;

namespace Reconciler.Linux.Tests.Scripts;

/// <summary>The policy of commands from the topology, with real processes: the host runs tests as root, commands run
/// as the existing <c>nobody</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScriptRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ValueTask<ScriptResult> Run(ScriptRunner runner, params string[] command) =>
        runner.RunAsync(new ScriptRequest(command, Bound), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Run_DefaultPolicy_RunsAsTheScriptUserWithItsOwnGroupsOnly()
    {
        var result = await Run(ScriptFixtures.AsNobody, "/usr/bin/id");

        Assert.True(result.Succeeded, result.Error);
        Assert.StartsWith("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RootAsUserWithoutTheOptIn_RefusedNamingTheSetting()
    {
        var refusal = Assert.Throws<ScriptPolicyException>(() => ScriptRunner.Create(new ScriptPolicy { User = "root" }));

        Assert.Equal("the script user \"root\" is root (uid 0): to run commands from the topology as root, say so with scripts:runAsRoot", refusal.Message);
    }

    [Fact]
    public void Create_UnknownUser_RefusedNamingIt()
    {
        var refusal = Assert.Throws<ScriptPolicyException>(() => ScriptRunner.Create(new ScriptPolicy { User = "no-such-user-here" }));

        Assert.Equal("the script user \"no-such-user-here\" does not exist: create it, or name another with scripts:user", refusal.Message);
    }

    [Fact]
    public async Task Run_AgentEnvironmentHoldsSecrets_CommandSeesOnlyPathAndItsOwnVariables()
    {
        Environment.SetEnvironmentVariable("RECONCILER_REPOSITORY__TOKEN_TEST", "s3cret");
        Environment.SetEnvironmentVariable("GIT_TOKEN_TEST", "s3cret");
        try
        {
            var request = new ScriptRequest(["/usr/bin/env"], Bound) { Environment = new Dictionary<string, string> { ["CHECK_TARGET"] = "10.0.0.1:80" } };

            var result = await ScriptFixtures.AsNobody.RunAsync(request, TestContext.Current.CancellationToken);

            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(["CHECK_TARGET=10.0.0.1:80", "PATH=" + ScriptPolicy.DefaultSearchPath], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECONCILER_REPOSITORY__TOKEN_TEST", null);
            Environment.SetEnvironmentVariable("GIT_TOKEN_TEST", null);
        }
    }

    [Fact]
    public async Task Run_AgentIgnoresSigpipe_CommandHasEverySignalAtItsDefault()
    {
        var result = await Run(ScriptFixtures.AsNobody, "/bin/grep", "SigIgn", "/proc/self/status");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("SigIgn:\t0000000000000000\n", result.StandardOutput);
    }

    [Fact]
    public async Task Run_ProgramInAFolderOthersCanWrite_RefusedAndNeverRun()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        try
        {
            var marker = Path.Combine(folder.FullName, "ran");
            var script = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), $"touch {marker}");

            var result = await Run(ScriptFixtures.AsNobody, script);

            Assert.Equal(ScriptOutcome.Refused, result.Outcome);
            Assert.Equal($"{script}: refused, {folder.FullName} is writable by everyone (mode 777) (a command must be changeable by root only)", result.Error);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_ProgramOwnedByAnotherUser_Refused()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.RootsFolder);
        try
        {
            var script = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), "exit 0");
            Chown(script, 65534, 0);

            var result = await Run(ScriptFixtures.AsNobody, script);

            Assert.Equal(ScriptOutcome.Refused, result.Outcome);
            Assert.Equal($"{script}: refused, {script} is writable by its owner, uid 65534 (a command must be changeable by root only)", result.Error);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_ProgramWritableByANonRootGroup_Refused()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.RootsFolder);
        try
        {
            var script = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), "exit 0");
            Chown(script, 0, 65534);
            File.SetUnixFileMode(script, ScriptFixtures.RootsFolder | UnixFileMode.GroupWrite);

            var result = await Run(ScriptFixtures.AsNobody, script);

            Assert.Equal(ScriptOutcome.Refused, result.Outcome);
            Assert.Equal($"{script}: refused, {script} is writable by group gid 65534 (a command must be changeable by root only)", result.Error);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_RootsProgramUnderTheStickyTmp_Runs()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.RootsFolder);
        try
        {
            var script = ScriptFixtures.Script(Path.Combine(folder.FullName, "check"), "echo fine");

            var result = await Run(ScriptFixtures.AsNobody, script);

            Assert.True(result.Succeeded, result.Error);
            Assert.Equal("fine\n", result.StandardOutput);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_RelativePath_Refused()
    {
        var result = await Run(ScriptFixtures.AsNobody, "bin/true");

        Assert.Equal(ScriptResult.Refuse("bin/true: refused, a relative path (write it from /)"), result);
    }

    [Fact]
    public async Task Run_EndlessOutput_KeepsOnlyTheLimitOfEachStream()
    {
        var result = await Run(ScriptFixtures.AsNobody, "/bin/sh", "-c", "awk 'BEGIN { for (i = 0; i < 100000; i++) { printf \"oooooooooo\"; printf \"eeeeeeeeee\" > \"/dev/stderr\" } }'");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new string('o', ScriptPolicy.DefaultOutputLimitBytes), result.StandardOutput);
        Assert.Equal(new string('e', ScriptPolicy.DefaultOutputLimitBytes), result.StandardError);
    }

    [Fact]
    public async Task Run_Timeout_KillsTheWholeProcessGroup()
    {
        var result = await ScriptFixtures.AsNobody.RunAsync(
            new ScriptRequest(["/bin/sh", "-c", "echo started; sleep 60"], TimeSpan.FromMilliseconds(500)), TestContext.Current.CancellationToken);

        Assert.Equal(new ScriptResult(ScriptOutcome.TimedOut, null, "started\n", "", "timed out after 500ms, killed"), result);
    }

    [Fact]
    public async Task Run_MoreThanTheCapAtOnce_TheNextWaitsAndTimesOutUnstarted()
    {
        var folder = ScriptFixtures.Folder(ScriptFixtures.OpenFolder);
        using var runner = ScriptRunner.Create(new ScriptPolicy { User = "nobody", MaxConcurrent = 2 });
        try
        {
            var release = Path.Combine(folder.FullName, "release");
            var blocking = Enumerable.Range(1, 2).Select(i => runner.RunAsync(
                new ScriptRequest(["/bin/sh", "-c", $"touch {folder.FullName}/started-{i}; while [ ! -e {release} ]; do sleep 0.05; done"], Bound),
                TestContext.Current.CancellationToken).AsTask()).ToList();
            await WaitUntilAsync(() => Directory.GetFiles(folder.FullName, "started-*").Length == 2, "both commands to start");
            var marker = Path.Combine(folder.FullName, "third-ran");

            var third = await runner.RunAsync(new ScriptRequest(["/usr/bin/touch", marker], TimeSpan.FromMilliseconds(300)), TestContext.Current.CancellationToken);

            Assert.Equal(ScriptOutcome.TimedOut, third.Outcome);
            Assert.Equal("not started: 2 commands (the most that run at once) were running for all of its 300ms timeout", third.Error);
            Assert.False(File.Exists(marker));
            File.WriteAllText(release, "");
            Assert.All(await Task.WhenAll(blocking), r => Assert.True(r.Succeeded, r.Error));
            Assert.True((await runner.RunAsync(new ScriptRequest(["/usr/bin/touch", marker], Bound), TestContext.Current.CancellationToken)).Succeeded);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Chown(string path, int uid, int gid)
    {
        using var chown = System.Diagnostics.Process.Start("/bin/chown", [$"{uid}:{gid}", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!condition())
        {
            if (bound.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
