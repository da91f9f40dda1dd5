using System.Diagnostics;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

/// <summary>
/// Which libgit2 LibGit2Sharp loaded. <see cref="GlobalSettings.Version"/> names only its commit, so the numeric
/// version comes from libgit2's own <c>git_libgit2_version</c>, looked up in the already-loaded native library
/// (the only native call in this project). SSH through libgit2 (the exec transport, <c>USE_SSH=exec</c>) builds one
/// command line for <c>/bin/sh</c> with the remote repository path unquoted, so a crafted path runs commands:
/// fixed upstream by "SSH exec updates" (libgit2/libgit2#7163, merged 2025-12-06: arguments passed parameterized,
/// no shell), released in 1.9.2 (its release notes name it, with a second SSH fix for unterminated public keys).
/// On the 1.8 line the guard takes 1.8.5 as the first fixed release; the sources checked for this could not confirm
/// that number (no 1.8.5 notes found, and no CVE id is given for the issue), and the 1.8.6 LibGit2Sharp 0.32 loads
/// is past it either way. <see cref="SshIsSafe"/> says whether the loaded library has the fix.
/// </summary>
public sealed record Libgit2Version(int Major, int Minor, int Revision, string CommitSha, string Features)
{
    private static readonly Lazy<Libgit2Version?> Current = new(Detect);

    public static Libgit2Version? Loaded => Current.Value;

    public bool SshIsSafe => (Major, Minor) switch
    {
        ( > 1, _) => true,
        (1, > 9) => true,
        (1, 9) => Revision >= 2,
        (1, 8) => Revision >= 5,
        _ => false,
    };

    public override string ToString() => $"libgit2 {Major}.{Minor}.{Revision} ({CommitSha[..Math.Min(7, CommitSha.Length)]}, {Features})";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int VersionFunction(out int major, out int minor, out int revision);

    private static Libgit2Version? Detect()
    {
        var version = GlobalSettings.Version; // loads the native library
        var sha = version.LibGit2CommitSha;
        var features = version.Features.ToString();
        using var process = Process.GetCurrentProcess();
        foreach (ProcessModule module in process.Modules)
        {
            var name = Path.GetFileName(module.FileName);
            if (!name.StartsWith("libgit2", StringComparison.Ordinal) || !NativeLibrary.TryLoad(module.FileName, out var handle))
            {
                continue;
            }

            try
            {
                if (NativeLibrary.TryGetExport(handle, "git_libgit2_version", out var export))
                {
                    var function = Marshal.GetDelegateForFunctionPointer<VersionFunction>(export);
                    if (function(out var major, out var minor, out var revision) == 0)
                    {
                        return new Libgit2Version(major, minor, revision, sha, features);
                    }
                }
            }
            finally
            {
                NativeLibrary.Free(handle);
            }
        }

        return null;
    }
}
