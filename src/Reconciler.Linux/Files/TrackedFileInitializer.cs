using Reconciler.Topology.Model;

namespace Reconciler.Linux.Files;

/// <summary>
/// keepalived's <c>init_file</c> (trackers/track_file.c, at the end of each <c>track_file</c> block): a file that does
/// not exist is created holding the value, at start and on a reload alike; an existing one is left alone, unless
/// <c>overwrite</c> was given and this is the first load (keepalived never overwrites on a reload), and then only
/// when it is a regular file. The value is written as <c>"%d\n"</c> with mode 0644 (keepalived's <c>fopen_safe</c>:
/// 0666 less its umask 022) into a temporary file beside it, renamed into place, so a reader never sees it half
/// written and a symbolic link at the path is replaced, never followed.
/// </summary>
public static class TrackedFileInitializer
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes the init value of every tracked file of <paramref name="topology"/> that asks for it;
    /// <paramref name="atStart"/>: the agent's first topology (an existing file is overwritten only then). Returns
    /// what went wrong, one line each (nothing stops at the first).</summary>
    public static IReadOnlyList<string> Initialize(Topology.Model.Topology topology, bool atStart)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var problems = new List<string>();
        foreach (var check in topology.Checks)
        {
            if (check.File is { Init: { } init } file && Initialize(check.Name, file.Path, init, atStart) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>One tracked file: null when written or rightly left alone, else why it could not be written.</summary>
    public static string? Initialize(string name, string path, TrackedFileInit init, bool atStart)
    {
        ArgumentNullException.ThrowIfNull(init);
        // stat(), as keepalived: a link to a regular file counts as one (and is replaced by the rename, not followed).
        var isDirectory = Directory.Exists(path);
        if (File.Exists(path) || isDirectory)
        {
            if (!init.Overwrite)
            {
                return null;
            }

            if (isDirectory)
            {
                return $"cannot initialise track file {name} ({path}): it is not a regular file";
            }

            if (!atStart)
            {
                return null;
            }
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(FormattableString.Invariant($"{init.Value}\n")));
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, Mode);
            }

            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return $"unable to initialise track file {name} ({path}): {e.Message}";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was created, or it cannot be removed: the error already reported says why.
        }
    }
}
