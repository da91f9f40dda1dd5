namespace Reconciler.GitSource.Source;

/// <summary>
/// How libgit2 runs ssh for ssh:// URLs: key and known_hosts from files, strict host key checking, no agent, no
/// prompts. A libgit2 with the command-injection fix (1.8.5 / 1.9.2 and later, libgit2/libgit2#7163; LibGit2Sharp
/// 0.32 loads 1.8.6) execs <c>core.sshCommand</c> as one program path (no shell, no word splitting), so the options
/// go into a small wrapper script in the state folder
/// (<see cref="WriteWrapper"/>) and <c>core.sshCommand</c> names that script. Paths are single-quoted, and
/// refused when they contain a quote.
/// </summary>
public static class SshCommand
{
    /// <summary>Writes <c>stateDirectory/ssh/ssh-command</c> (mode 0700) running <see cref="For"/> with the
    /// arguments libgit2 passes; returns its path.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static string WriteWrapper(string stateDirectory, SshSettings settings)
    {
        var directory = Path.Combine(Path.GetFullPath(stateDirectory), "ssh");
        var script = Path.Combine(directory, "ssh-command");
        if (script.Contains('\'', StringComparison.Ordinal) || script.Any(char.IsWhiteSpace))
        {
            throw new GitSourceException(GitSourceError.Configuration, $"the state folder path must contain no quote or space for ssh:// ({directory})");
        }

        try
        {
            Directory.CreateDirectory(directory);
            var temp = script + ".tmp";
            File.WriteAllText(temp, "#!/bin/sh\n# Written by reconciler: how libgit2 runs ssh for this source.\nexec " + For(settings) + " \"$@\"\n");
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Move(temp, script, overwrite: true);
            return script;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot write the ssh wrapper {script}: {e.Message}", e);
        }
    }

    public static string For(SshSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var program = settings.Program == "ssh" ? "ssh" : Quote(settings.Program);
        return program + " -F /dev/null"
            + " -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes"
            + " -o UserKnownHostsFile=" + Quote(settings.KnownHostsFile)
            + " -o GlobalKnownHostsFile=/dev/null"
            + " -i " + Quote(settings.PrivateKeyFile);
    }

    /// <summary>Refuses ssh:// on a libgit2 with the command-injection bug (before 1.8.5 / 1.9.2).</summary>
    public static void EnsureSafeLibgit2(Libgit2Version? version)
    {
        if (version is null)
        {
            throw new GitSourceException(GitSourceError.Configuration, "ssh:// refused: the libgit2 version cannot be determined, so the SSH command-injection fix (libgit2 1.8.5 / 1.9.2) cannot be confirmed");
        }

        if (!version.SshIsSafe)
        {
            throw new GitSourceException(GitSourceError.Configuration, $"ssh:// refused: {version} runs ssh with the repository path unquoted in /bin/sh (fixed in libgit2 1.8.5 / 1.9.2); use https:// or git:// until LibGit2Sharp ships a fixed libgit2");
        }
    }

    private static string Quote(string path)
    {
        if (!Path.IsPathFullyQualified(path) || path.Contains('\'', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            throw new GitSourceException(GitSourceError.Configuration, $"SSH file paths must be absolute and contain no quote: '{path}'");
        }

        return "'" + path + "'";
    }
}
