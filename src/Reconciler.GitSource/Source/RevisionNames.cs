using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

/// <summary>What a branch, a pinned revision and a topology path may look like before they reach libgit2: the
/// rules <see cref="GitSettingsValidator"/> reports and <see cref="GitMirror.Open"/> enforces.</summary>
internal static class RevisionNames
{
    public static bool IsFullSha(string text) => text.Length == 40 && text.All(char.IsAsciiHexDigit);

    /// <summary>4 to 39 hex digits: what <c>git rev-parse</c> accepts as a short commit id.</summary>
    public static bool IsAbbreviatedSha(string text) => text.Length is >= 4 and < 40 && text.All(char.IsAsciiHexDigit);

    /// <summary>Null when <paramref name="branch"/> is a valid branch name, else why not.</summary>
    public static string? BranchProblem(string branch) =>
        branch.Length == 0 || branch.StartsWith('-') || !Reference.IsValidName("refs/heads/" + branch)
            ? $"invalid branch name '{branch}'"
            : null;

    /// <summary>Null when <paramref name="rev"/> can name a commit (a sha, full or abbreviated, a tag, a branch or a
    /// full ref name), else why not.</summary>
    public static string? RevProblem(string rev) =>
        rev.Length == 0 || rev.StartsWith('-')
            || (!IsFullSha(rev) && !Reference.IsValidName(rev.StartsWith("refs/", StringComparison.Ordinal) ? rev : "refs/tags/" + rev))
            ? $"invalid revision '{rev}' (a commit sha, full or abbreviated, a tag or a branch)"
            : null;

    /// <summary>Null when <paramref name="path"/> stays inside the repository, else why not.</summary>
    public static string? PathProblem(string path) =>
        path.Split('/').Any(s => s == "..") ? $"invalid topology path '{path}' ('..' is not allowed)" : null;
}
