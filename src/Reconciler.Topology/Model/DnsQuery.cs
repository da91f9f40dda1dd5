using System.Text;

namespace Reconciler.Topology.Model;

/// <summary>
/// What DNS_CHECK can ask (<see cref="DnsCheck"/>), as keepalived's <c>check_dns.c</c> takes it: the types of its
/// <c>DNS_TYPE</c> table, by name in any case, and names that make a question (RFC 1035 section 3.1). The health
/// probe refuses exactly what this refuses, so the validator can tell before any probe runs.
/// </summary>
public static class DnsQuery
{
    /// <summary>RFC 1035: a name is at most 255 octets on the wire (253 characters written without the root's dot).</summary>
    public const int MaxNameLength = 255;

    /// <summary>RFC 1035: a label is at most 63 octets.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>keepalived's types, in its order, with their numbers (RFC 1035, 3596, 4034).</summary>
    public static IReadOnlyList<KeyValuePair<string, ushort>> Types { get; } =
    [
        new("A", 1),
        new("NS", 2),
        new("CNAME", 5),
        new("SOA", 6),
        new("MX", 15),
        new("TXT", 16),
        new("AAAA", 28),
        new("RRSIG", 46),
        new("DNSKEY", 48),
    ];

    /// <summary>The type named <paramref name="name"/> in any case, as keepalived's <c>strcasecmp</c> finds it.</summary>
    public static bool TryGetType(string name, out ushort type)
    {
        foreach (var (label, number) in Types)
        {
            if (string.Equals(label, name, StringComparison.OrdinalIgnoreCase))
            {
                type = number;
                return true;
            }
        }

        type = 0;
        return false;
    }

    /// <summary>Why <paramref name="name"/> cannot be asked, or null: <c>.</c> is the root, a trailing dot is
    /// optional; labels must be 1 to <see cref="MaxLabelLength"/> ASCII characters and the whole name at most
    /// <see cref="MaxNameLength"/> octets on the wire.</summary>
    public static string? NameError(string name)
    {
        var labels = name == "." ? [] : name.EndsWith('.') ? name[..^1].Split('.') : name.Split('.');
        var wire = 1; // the root's empty label
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return $"name '{name}' has an empty label";
            }

            if (!Ascii.IsValid(label))
            {
                return $"name '{name}' is not ASCII";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"name '{name}' has a label longer than {MaxLabelLength} characters";
            }

            wire += 1 + label.Length;
        }

        return wire > MaxNameLength ? $"name '{name}' is longer than {MaxNameLength} octets" : null;
    }
}
