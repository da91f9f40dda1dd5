using Reconciler.Topology.Diagnostics;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Where each element of a loaded topology was written: JSON pointer (<c>/services/0/port</c>, with
/// list indexes after the files were merged) to the file, line and column of its value, and of its key
/// for mapping entries. Lookups fall back to the nearest enclosing element, so a pointer to a value that
/// took its default still finds the object it belongs to.
/// </summary>
public sealed class TopologySourceMap
{
    private Dictionary<string, SourceLocation> _values = new(StringComparer.Ordinal);
    private Dictionary<string, SourceLocation> _keys = new(StringComparer.Ordinal);

    public static TopologySourceMap Empty { get; } = new();

    public int Count => _values.Count;

    internal void SetValue(string pointer, SourceLocation location) => _values[pointer] = location;

    internal void SetKey(string pointer, SourceLocation location) => _keys[pointer] = location;

    /// <summary>Adds every location of <paramref name="other"/> whose pointer is not here yet; <paramref name="other"/>
    /// must not be used afterwards (when it is the larger map, this one takes over its tables instead of copying them).</summary>
    internal void Absorb(TopologySourceMap other)
    {
        Absorb(ref _values, ref other._values);
        Absorb(ref _keys, ref other._keys);
    }

    private static void Absorb(ref Dictionary<string, SourceLocation> mine, ref Dictionary<string, SourceLocation> theirs)
    {
        if (theirs.Count > mine.Count)
        {
            (mine, theirs) = (theirs, mine);
            foreach (var (pointer, location) in theirs)
            {
                mine[pointer] = location;
            }
        }
        else
        {
            foreach (var (pointer, location) in theirs)
            {
                mine.TryAdd(pointer, location);
            }
        }
    }

    internal IEnumerable<KeyValuePair<string, SourceLocation>> Values => _values;

    internal IEnumerable<KeyValuePair<string, SourceLocation>> Keys => _keys;

    /// <summary>The location of the value at <paramref name="pointer"/>, else of its nearest enclosing element.</summary>
    public SourceLocation? Find(string pointer)
    {
        for (string? current = pointer; current is not null; current = JsonPointer.Parent(current))
        {
            if (_values.TryGetValue(current, out var location))
            {
                return location;
            }
        }

        return null;
    }

    /// <summary>The location of the key of the mapping entry at <paramref name="pointer"/>, else as <see cref="Find"/>.</summary>
    public SourceLocation? FindKey(string pointer) =>
        _keys.TryGetValue(pointer, out var location) ? location : Find(pointer);

    /// <summary>The exact location of a value, without falling back.</summary>
    public SourceLocation? GetValue(string pointer) => _values.TryGetValue(pointer, out var location) ? location : null;
}
