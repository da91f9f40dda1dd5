using System.Globalization;
using Reconciler.Linux.Native;

namespace Reconciler.Linux.Scripts;

/// <summary>
/// keepalived's <c>enable_script_security</c>, always on: a command runs only if no one but root can change what
/// runs, that is, the program file and every directory on its path (as written and with links resolved) are owned
/// by root and writable by neither a non-root group nor others. A root-owned directory with the sticky bit (/tmp) is
/// accepted, as keepalived accepts it: others may add files there but not replace root's.
/// </summary>
public static class ScriptPathCheck
{
    /// <summary>Null when <paramref name="program"/> (an absolute path) may run; otherwise why not.</summary>
    public static string? WhyRefused(string program)
    {
        if (!Path.IsPathFullyQualified(program))
        {
            return $"{program}: refused, not an absolute path";
        }

        var (file, error) = ProcessNative.Stat(program);
        if (file is not { } identity)
        {
            return $"{program}: {Errno.Describe(error)}";
        }

        if (!identity.IsRegularFile)
        {
            return $"{program}: refused, not a regular file";
        }

        if ((identity.Mode & FileIdentity.AnyExecute) == 0)
        {
            return $"{program}: refused, not executable";
        }

        var real = ProcessNative.RealPath(program) ?? program;
        return UnsafeComponent(program) ?? (real == program ? null : UnsafeComponent(real));
    }

    private static string? UnsafeComponent(string path)
    {
        foreach (var component in Prefixes(path))
        {
            var (identity, error) = ProcessNative.Stat(component);
            if (identity is not { } found)
            {
                return $"{path}: cannot check {component}: {Errno.Describe(error)}";
            }

            if (WhoCanWrite(found) is { } who)
            {
                return $"{path}: refused, {component} is writable by {who} (a command must be changeable by root only)";
            }
        }

        return null;
    }

    /// <summary>"/", "/usr", "/usr/bin", "/usr/bin/true".</summary>
    private static IEnumerable<string> Prefixes(string path)
    {
        yield return "/";
        for (int slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (path[slash - 1] != '/')
            {
                yield return path[..slash];
            }
        }

        if (!path.EndsWith('/'))
        {
            yield return path;
        }
    }

    private static string? WhoCanWrite(FileIdentity identity)
    {
        if (identity.OwnerUid != 0)
        {
            return "its owner, uid " + identity.OwnerUid.ToString(CultureInfo.InvariantCulture);
        }

        var stickyDirectory = identity.IsDirectory && (identity.Mode & FileIdentity.Sticky) != 0;
        if (stickyDirectory)
        {
            return null;
        }

        if (identity.GroupGid != 0 && (identity.Mode & FileIdentity.GroupWrite) != 0)
        {
            return "group gid " + identity.GroupGid.ToString(CultureInfo.InvariantCulture);
        }

        return (identity.Mode & FileIdentity.OthersWrite) != 0 ? "everyone (mode " + Convert.ToString(identity.Mode & 0xFFF, 8) + ")" : null;
    }
}
