using Reconciler.Planning.Storage;

namespace Reconciler.GitSource.Source;

/// <summary>
/// The operator's one-shot acceptance of a rewritten tip: <c>StateDirectory/accept-tip</c> holds one full commit sha
/// (written by <c>reconciler agent accept-tip SHA</c>). While it is there, the agent's git source also accepts a
/// tip that is, or descends from, that commit although it does not descend from the last applied one (the checks
/// of signature, validation and safety limit still apply); the file is removed as soon as such a commit is
/// accepted, so the next force-push is refused again. A file in the state folder (root's, mode 0600) rather than an
/// endpoint call: it needs the same rights as the agent's own state, works while the agent is down or restarting,
/// and names exactly one commit.
/// </summary>
public static class TipAcceptance
{
    public const string FileName = "accept-tip";

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>Records the acceptance of <paramref name="sha"/> (a full 40-digit sha); returns the file's path.
    /// Throws <see cref="GitSourceException"/> (Configuration) for anything else than a full sha, (Cache) when the
    /// state folder cannot be written.</summary>
    public static string Write(string stateDirectory, string sha)
    {
        ArgumentNullException.ThrowIfNull(stateDirectory);
        ArgumentNullException.ThrowIfNull(sha);
        sha = sha.Trim().ToLowerInvariant();
        if (!RevisionNames.IsFullSha(sha))
        {
            throw new GitSourceException(GitSourceError.Configuration, $"'{sha}' is not a full commit sha: name the one rewritten commit to accept with all its digits");
        }

        var path = PathIn(stateDirectory);
        try
        {
            StateFiles.WriteAtomically(path, stream => stream.Write(System.Text.Encoding.ASCII.GetBytes(sha + "\n")));
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>The accepted sha, or null when there is none. A file that names no full sha is reported in
    /// <paramref name="problem"/> and accepts nothing.</summary>
    public static string? Read(string stateDirectory, out string? problem)
    {
        problem = null;
        var path = PathIn(stateDirectory);
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path).Trim().ToLowerInvariant();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {path}: {e.Message}";
            return null;
        }

        if (!RevisionNames.IsFullSha(text))
        {
            problem = $"{path} names no full commit sha: ignored";
            return null;
        }

        return text;
    }

    /// <summary>Removes the acceptance once it has been used (only if it still names <paramref name="sha"/>).</summary>
    internal static void Consume(string stateDirectory, string sha)
    {
        if (Read(stateDirectory, out _) is { } accepted && string.Equals(accepted, sha, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                File.Delete(PathIn(stateDirectory));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GitSourceException(GitSourceError.Cache, $"cannot remove {PathIn(stateDirectory)}: {e.Message}", e);
            }
        }
    }
}
