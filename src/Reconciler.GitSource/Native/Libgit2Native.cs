using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Reconciler.GitSource.Native;

/// <summary>
/// The libgit2 calls LibGit2Sharp cannot make in a NativeAOT executable, made here directly, and the only native code
/// of this assembly. LibGit2Sharp passes libgit2's <c>git_buf</c> as a sequential-layout class, which NativeAOT's
/// interop marshals in only: libgit2's writes to it never reach managed code, so <c>Repository.Discover</c> finds no
/// repository and <c>Commit.ExtractSignature</c> no signature (libgit2sharp#2187). Here <c>git_buf</c> is a blittable
/// struct passed by pointer, which works under the JIT and NativeAOT alike.
/// The library is the one LibGit2Sharp loaded (found in the process's mappings, so whatever its file name or folder:
/// beside the executable or <c>GlobalSettings.NativeLibraryPath</c>); its exports are called through function pointers.
/// </summary>
internal static unsafe class Libgit2Native
{
    private const int NotFound = -3; // GIT_ENOTFOUND

    [StructLayout(LayoutKind.Sequential)]
    private struct GitBuffer
    {
        public byte* Pointer;
        public nuint Reserved;
        public nuint Size;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GitErrorRecord
    {
        public byte* Message;
        public int Class;
    }

    private sealed class Exports(nint library)
    {
        public readonly delegate* unmanaged[Cdecl]<nint*, byte*, int> RepositoryOpen =
            (delegate* unmanaged[Cdecl]<nint*, byte*, int>)NativeLibrary.GetExport(library, "git_repository_open");
        public readonly delegate* unmanaged[Cdecl]<nint, void> RepositoryFree =
            (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "git_repository_free");
        public readonly delegate* unmanaged[Cdecl]<GitBuffer*, GitBuffer*, nint, byte*, byte*, int> CommitExtractSignature =
            (delegate* unmanaged[Cdecl]<GitBuffer*, GitBuffer*, nint, byte*, byte*, int>)NativeLibrary.GetExport(library, "git_commit_extract_signature");
        public readonly delegate* unmanaged[Cdecl]<GitBuffer*, void> BufferDispose =
            (delegate* unmanaged[Cdecl]<GitBuffer*, void>)NativeLibrary.GetExport(library, "git_buf_dispose");
        public readonly delegate* unmanaged[Cdecl]<GitErrorRecord*> ErrorLast =
            (delegate* unmanaged[Cdecl]<GitErrorRecord*>)NativeLibrary.GetExport(library, "git_error_last");
    }

    private static readonly Lazy<Exports> Loaded = new(() => new Exports(LoadLibgit2()));

    /// <summary>The commit's signature and the bytes it signs, as <c>git verify-commit</c> checks them; null when the
    /// commit carries no <c>gpgsig</c> header. Throws <see cref="LibGit2SharpException"/> for any other libgit2 error.</summary>
    public static (string Signature, byte[] SignedData)? ExtractSignature(Repository repository, ObjectId commit)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(commit);
        var exports = Loaded.Value;
        var repositoryHandle = Open(exports, repository.Info.Path);
        try
        {
            var oid = commit.RawId;
            GitBuffer signature = default;
            GitBuffer signedData = default;
            int result;
            fixed (byte* id = oid)
            {
                result = exports.CommitExtractSignature(&signature, &signedData, repositoryHandle, id, null);
            }

            try
            {
                if (result == NotFound)
                {
                    return null;
                }

                ThrowOnError(exports, result, "git_commit_extract_signature");
                return (
                    Marshal.PtrToStringUTF8((nint)signature.Pointer, checked((int)signature.Size)),
                    new ReadOnlySpan<byte>(signedData.Pointer, checked((int)signedData.Size)).ToArray());
            }
            finally
            {
                exports.BufferDispose(&signature);
                exports.BufferDispose(&signedData);
            }
        }
        finally
        {
            exports.RepositoryFree(repositoryHandle);
        }
    }

    private static nint Open(Exports exports, string gitDirectory)
    {
        var path = System.Text.Encoding.UTF8.GetBytes(gitDirectory + "\0");
        nint handle;
        int result;
        fixed (byte* p = path)
        {
            result = exports.RepositoryOpen(&handle, p);
        }

        ThrowOnError(exports, result, "git_repository_open");
        return handle;
    }

    private static void ThrowOnError(Exports exports, int result, string function)
    {
        if (result >= 0)
        {
            return;
        }

        var error = exports.ErrorLast();
        var message = error is not null && error->Message is not null ? Marshal.PtrToStringUTF8((nint)error->Message) : null;
        throw new LibGit2SharpException($"{function} failed ({result}): {message ?? "no message from libgit2"}");
    }

    /// <summary>The libgit2 LibGit2Sharp loaded: asking its version loads it, and /proc/self/maps names the file.</summary>
    private static nint LoadLibgit2()
    {
        _ = GlobalSettings.Version;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..];
            var name = Path.GetFileName(path);
            if (name.StartsWith("libgit2", StringComparison.Ordinal) && name.Contains(".so", StringComparison.Ordinal))
            {
                return NativeLibrary.Load(path);
            }
        }

        throw new LibGit2SharpException("libgit2 is not loaded in this process (no libgit2*.so in /proc/self/maps)");
    }
}
