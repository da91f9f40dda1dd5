namespace Reconciler.GitSource.Source;

public enum GitSourceError
{
    /// <summary>The options are wrong (bad URL, missing token file, vulnerable libgit2 for ssh://).</summary>
    Configuration,

    /// <summary>The server could not be reached or the fetch failed.</summary>
    Unreachable,

    /// <summary>The branch, tag or commit does not exist.</summary>
    RevisionNotFound,

    /// <summary>The local cache is damaged or the state folder is not writable.</summary>
    Cache,
}

/// <summary>A git source failure. Messages never contain credentials: URLs are shown without user info and
/// any token read is scrubbed from messages of the native library.</summary>
public sealed class GitSourceException : Exception
{
    public GitSourceException(GitSourceError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public GitSourceException()
    {
    }

    public GitSourceException(string message)
        : base(message)
    {
    }

    public GitSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitSourceError Error { get; }
}
