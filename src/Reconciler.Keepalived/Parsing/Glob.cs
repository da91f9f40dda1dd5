using System.Text;
using System.Text.RegularExpressions;

namespace Reconciler.Keepalived.Parsing;

/// <summary>Expands an <c>include</c> pattern (<c>*</c>, <c>?</c>, <c>[...]</c> in any path segment) as glob(3) does:
/// matches sorted by name, hidden files only when the pattern segment starts with a dot.</summary>
internal static class Glob
{
    public static bool HasWildcards(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    public static IReadOnlyList<string> Expand(IConfigFileSystem fileSystem, string absolutePattern)
    {
        var normalized = absolutePattern.Replace('\\', '/');
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var root = normalized.StartsWith('/') ? "/" : string.Empty;
        var current = new List<string> { root };
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var last = s == segments.Length - 1;
            var next = new List<string>();
            foreach (var directory in current)
            {
                if (!HasWildcards(segment))
                {
                    next.Add(Combine(directory, segment));
                    continue;
                }

                var regex = ToRegex(segment);
                var names = fileSystem.ListDirectory(directory.Length == 0 ? "." : directory, directories: !last);
                foreach (var name in names.Order(StringComparer.Ordinal))
                {
                    if (name.StartsWith('.') && !segment.StartsWith('.'))
                    {
                        continue;
                    }

                    if (regex.IsMatch(name))
                    {
                        next.Add(Combine(directory, name));
                    }
                }
            }

            current = next;
        }

        return current;
    }

    private static string Combine(string directory, string name) =>
        directory.Length == 0 ? name : directory.EndsWith('/') ? directory + name : directory + "/" + name;

    private static Regex ToRegex(string segment)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    builder.Append(".*");
                    break;
                case '?':
                    builder.Append('.');
                    break;
                case '[':
                    var close = segment.IndexOf(']', i + 2 <= segment.Length ? i + 2 : i + 1);
                    if (close < 0)
                    {
                        builder.Append(@"\[");
                        break;
                    }

                    var set = segment[(i + 1)..close];
                    if (set.StartsWith('!'))
                    {
                        set = "^" + set[1..];
                    }

                    builder.Append('[').Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
