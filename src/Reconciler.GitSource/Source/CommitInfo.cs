using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

/// <summary>What the audit needs to know about a commit. <see cref="Signer"/> is set once the commit's signature was
/// verified (<see cref="CommitEvaluator"/>): the allowed-signers principal or the OpenPGP fingerprint.</summary>
public sealed record CommitInfo(
    string Sha,
    string Author,
    string AuthorEmail,
    DateTimeOffset AuthorTime,
    string Committer,
    string CommitterEmail,
    DateTimeOffset CommitTime,
    string Subject)
{
    public string? Signer { get; init; }

    public string ShortSha => Sha.Length > 12 ? Sha[..12] : Sha;

    public static CommitInfo Of(Commit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return new CommitInfo(
            commit.Sha,
            commit.Author.Name,
            commit.Author.Email,
            commit.Author.When,
            commit.Committer.Name,
            commit.Committer.Email,
            commit.Committer.When,
            commit.MessageShort);
    }
}
