namespace Reconciler.Keepalived.Parsing;

/// <summary>Files held in memory, keyed by absolute Unix-style path; relative paths are taken from <c>/</c>.</summary>
public sealed class InMemoryFileSystem : IConfigFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public InMemoryFileSystem Add(string path, string text)
    {
        _files[GetFullPath(path)] = text;
        return this;
    }

    public string? ReadAllText(string path) => _files.GetValueOrDefault(GetFullPath(path));

    public IEnumerable<string> ListDirectory(string directory, bool directories)
    {
        var prefix = GetFullPath(directory).TrimEnd('/') + "/";
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = path[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (directories && slash > 0)
            {
                names.Add(rest[..slash]);
            }
            else if (!directories && slash < 0)
            {
                names.Add(rest);
            }
        }

        return names;
    }

    public string GetFullPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
