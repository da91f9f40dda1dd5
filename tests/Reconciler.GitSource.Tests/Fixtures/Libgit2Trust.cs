using System.Runtime.InteropServices;

namespace Reconciler.GitSource.Tests.Fixtures;

/// <summary>
/// Makes the libgit2 this process loaded trust a test certificate, as an operator's CA bundle would be trusted:
/// <c>git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, NULL)</c> adds it to libgit2's OpenSSL context
/// (the system's trust store stays as it is). For tests only.
/// </summary>
public static class Libgit2Trust
{
    private const int SetSslCertLocations = 12; // GIT_OPT_SET_SSL_CERT_LOCATIONS in git2/common.h

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Trusted = [];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int OptsWithTwoStrings(int option, [MarshalAs(UnmanagedType.LPUTF8Str)] string? file, [MarshalAs(UnmanagedType.LPUTF8Str)] string? path);

    public static void Trust(string pemFile)
    {
        lock (Gate)
        {
            if (!Trusted.Add(pemFile))
            {
                return;
            }

            // The name LibGit2Sharp binds (libgit2-<commit>), resolved as its own imports are: the same library.
            var name = "libgit2-" + LibGit2Sharp.GlobalSettings.Version.LibGit2CommitSha[..7];
            var handle = NativeLibrary.Load(name, typeof(LibGit2Sharp.Repository).Assembly, null);
            var opts = Marshal.GetDelegateForFunctionPointer<OptsWithTwoStrings>(NativeLibrary.GetExport(handle, "git_libgit2_opts"));
            var result = opts(SetSslCertLocations, pemFile, null);
            if (result != 0)
            {
                throw new InvalidOperationException($"git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, {pemFile}) returned {result}");
            }
        }
    }
}
