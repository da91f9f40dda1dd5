namespace Reconciler.Keepalived.Parsing;

/// <summary>What the parser needs from a file system: read a file, list a directory (for <c>include</c> globs).</summary>
public interface IConfigFileSystem
{
    /// <summary>The file's text, or null when it does not exist. Bytes that are not UTF-8 become U+FFFD.</summary>
    string? ReadAllText(string path);

    /// <summary>Names (not paths) of the entries of a directory; empty when it does not exist.</summary>
    IEnumerable<string> ListDirectory(string directory, bool directories);

    /// <summary>A path made absolute and normal, so that the same file always has the same key.</summary>
    string GetFullPath(string path);
}
