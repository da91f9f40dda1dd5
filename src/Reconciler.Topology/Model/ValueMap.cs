using System.Collections;

namespace Reconciler.Topology.Model;

/// <summary>
/// An immutable string-keyed map with value equality (ordinal keys, order-insensitive),
/// used for per-node settings such as VRRP priorities.
/// </summary>
public sealed class ValueMap<TValue> : IReadOnlyDictionary<string, TValue>, IEquatable<ValueMap<TValue>>
{
    private readonly SortedDictionary<string, TValue> _items;

    public static ValueMap<TValue> Empty { get; } = new(new SortedDictionary<string, TValue>(StringComparer.Ordinal));

    private ValueMap(SortedDictionary<string, TValue> items) => _items = items;

    public static ValueMap<TValue> Create(IEnumerable<KeyValuePair<string, TValue>> items)
    {
        var sorted = new SortedDictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            sorted[key] = value;
        }

        return sorted.Count == 0 ? Empty : new ValueMap<TValue>(sorted);
    }

    public TValue this[string key] => _items[key];

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<TValue> Values => _items.Values;

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, out TValue value) => _items.TryGetValue(key, out value!);

    public TValue? GetValueOrDefault(string key) => _items.TryGetValue(key, out var value) ? value : default;

    public bool Equals(ValueMap<TValue>? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_items.Count != other._items.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in _items)
        {
            if (!other._items.TryGetValue(key, out var otherValue) || !comparer.Equals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueMap<TValue>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _items)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", _items.Select(p => $"{p.Key}: {p.Value}")) + "}";

    public static bool operator ==(ValueMap<TValue>? left, ValueMap<TValue>? right) => Equals(left, right);

    public static bool operator !=(ValueMap<TValue>? left, ValueMap<TValue>? right) => !Equals(left, right);
}
