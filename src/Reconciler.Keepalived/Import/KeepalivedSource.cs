using System.Net;

namespace Reconciler.Keepalived.Import;

/// <summary>One director's keepalived.conf. <paramref name="NodeName"/> null: the importer derives it (router_id when
/// distinct across files, else the file name stem). <paramref name="NodeAddresses"/> are the node's own addresses.</summary>
public sealed record KeepalivedSource(string? NodeName, string Path, IReadOnlyList<IPAddress> NodeAddresses)
{
    public KeepalivedSource(string? nodeName, string path)
        : this(nodeName, path, [])
    {
    }

    /// <summary>The config id (keepalived's <c>-i</c>) the file's conditional lines (<c>@ID ...</c>) are selected by;
    /// null: the node's name.</summary>
    public string? ConfigId { get; init; }
}

/// <summary>A keepalived.conf given as text (tests, stdin): <paramref name="FileName"/> names it in diagnostics and
/// anchors relative includes.</summary>
public sealed record KeepalivedText(string? NodeName, string FileName, string Text, IReadOnlyList<IPAddress> NodeAddresses)
{
    public KeepalivedText(string? nodeName, string fileName, string text)
        : this(nodeName, fileName, text, [])
    {
    }

    /// <inheritdoc cref="KeepalivedSource.ConfigId"/>
    public string? ConfigId { get; init; }
}
