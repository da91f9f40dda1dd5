using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>
/// No sshd here, so a stand-in ssh client records how libgit2 runs it: proof that the
/// <c>core.sshCommand</c> set on the cache is what runs, with the key and known_hosts files and strict checking.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SshTransportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task PollAsync_SshUrl_RunsConfiguredSshCommandWithKeyAndKnownHosts()
    {
        // On a libgit2 whose version is unknown or has the SSH command-injection bug, ssh:// is refused before any ssh
        // runs (RepositoryUrlTests covers the refusal): there is then nothing here to check, and that is a failure.
        var libgit2 = Libgit2Version.Loaded;
        Assert.True(
            libgit2 is { SshIsSafe: true },
            libgit2 is null
                ? "cannot run: the version of the libgit2 LibGit2Sharp loaded could not be determined, so ssh:// is refused before ssh runs"
                : $"cannot run: LibGit2Sharp loads {libgit2}, which has the SSH command-injection bug, so ssh:// is refused before ssh runs (update LibGit2Sharp)");

        var bin = _temp.Sub("bin");
        var record = Path.Combine(_temp.Path, "ssh-args");
        var fake = Path.Combine(bin, "ssh");
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{record}'\nexit 255\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var source = new GitTopologySource(new GitSourceOptions
            {
                Url = "ssh://git@git.example.org:2222/srv/topology.git",
                StateDirectory = _temp.Sub("state"),
                Ssh = new SshSettings("/etc/reconciler/id_ed25519", "/etc/reconciler/known_hosts", fake),
            }))
        {
            var result = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
            TestContext.Current.SendDiagnosticMessage($"ssh unreachable: {result.Error}");
        }

        var arguments = await File.ReadAllLinesAsync(record, TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage("ssh ran with: " + string.Join(" | ", arguments));
        Assert.Contains("StrictHostKeyChecking=yes", arguments);
        Assert.Contains("UserKnownHostsFile=/etc/reconciler/known_hosts", arguments);
        Assert.Contains("/etc/reconciler/id_ed25519", arguments);
        Assert.Contains(arguments, a => a.Contains("git-upload-pack", StringComparison.Ordinal) && a.Contains("/srv/topology.git", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();
}
