namespace Reconciler.GitSource.Audit;

/// <summary>The journal could not be written or read (state folder unwritable, disk full, not a file).
/// The message names the file and the cause; the agent reports it and keeps running.</summary>
public sealed class AuditJournalException : Exception
{
    public AuditJournalException(string path, string message, Exception? inner = null)
        : base(message, inner) => JournalPath = path;

    public AuditJournalException()
    {
        JournalPath = "";
    }

    public AuditJournalException(string message)
        : base(message) => JournalPath = "";

    public AuditJournalException(string message, Exception innerException)
        : base(message, innerException) => JournalPath = "";

    public string JournalPath { get; }
}
