using Reconciler.Linux.Scripts;
using Reconciler.Scripts;

namespace Reconciler.Tests.Shared.Scripts;

/// <summary>Real script runners and folders for tests of commands from the topology (the host runs tests as root;
/// commands run as the existing <c>nobody</c>, no account is created).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ScriptFixtures
{
    /// <summary>The agent's default policy, pinned to <c>nobody</c> (whatever accounts this host has).</summary>
    public static ScriptRunner AsNobody { get; } = ScriptRunner.Create(new ScriptPolicy { User = "nobody" });

    /// <summary>The explicit root opt-in: for tests whose commands write into root's temporary folders.</summary>
    public static ScriptRunner AsRoot { get; } = ScriptRunner.Create(new ScriptPolicy { RunAsRoot = true });

    /// <summary>A fresh folder under /tmp with <paramref name="mode"/> (0755: root's, readable by the script user;
    /// 0777: anyone may write into it).</summary>
    public static DirectoryInfo Folder(UnixFileMode mode)
    {
        var folder = Directory.CreateTempSubdirectory("scripts-");
        File.SetUnixFileMode(folder.FullName, mode);
        return folder;
    }

    public const UnixFileMode RootsFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode OpenFolder = RootsFolder | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>An executable shell script (root's, mode 0755) at <paramref name="path"/>.</summary>
    public static string Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, RootsFolder);
        return path;
    }
}
