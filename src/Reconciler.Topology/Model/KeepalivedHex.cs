namespace Reconciler.Topology.Model;

/// <summary>
/// keepalived's hex strings (<c>read_hex_str</c> in its <c>lib/utils.c</c>), as UDP_CHECK's <c>payload</c> and
/// <c>require_reply</c> take them. Blanks separate groups; within a group digits pair up into octets, and a group
/// of odd length ends with a one-digit octet: <c>Ab12f 3 456</c> is <c>AB 12 0F 03 45 06</c>. With wildcards
/// (a reply pattern), an <c>x</c> or <c>X</c> digit matches any nibble: its bits are set in the mask.
/// </summary>
public static class KeepalivedHex
{
    /// <summary>keepalived keeps the length in 16 bits.</summary>
    public const int MaxBytes = ushort.MaxValue;

    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    /// <param name="text">The hex string.</param>
    /// <param name="allowWildcards">Whether <c>x</c> digits are allowed (a reply pattern, not a payload).</param>
    /// <param name="bytes">The octets; wildcard nibbles are 0.</param>
    /// <param name="mask">One octet per octet of <paramref name="bytes"/>: the bits that match anything (all 0 without wildcards).</param>
    /// <param name="error">Why the text is not a hex string, for a validation message.</param>
    public static bool TryParse(string text, bool allowWildcards, out byte[] bytes, out byte[] mask, out string? error)
    {
        bytes = [];
        mask = [];
        var buffer = new byte[(text.Length + 1) / 2];
        var masks = new byte[buffer.Length];
        var length = 0;
        var i = 0;
        while (true)
        {
            while (i < text.Length && IsBlank(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            if (!TryNibble(text, i++, allowWildcards, out var value, out var wild, out error))
            {
                return false;
            }

            if (i < text.Length && !IsBlank(text[i]))
            {
                if (!TryNibble(text, i++, allowWildcards, out var low, out var lowWild, out error))
                {
                    return false;
                }

                value = (byte)((value << 4) | low);
                wild = (byte)((wild << 4) | lowWild);
            }

            if (length == MaxBytes)
            {
                error = $"longer than {MaxBytes} bytes";
                return false;
            }

            buffer[length] = value;
            masks[length] = wild;
            length++;
        }

        if (length == 0)
        {
            error = "no hex digits";
            return false;
        }

        bytes = buffer.AsSpan(0, length).ToArray();
        mask = masks.AsSpan(0, length).ToArray();
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="data"/> matches <paramref name="pattern"/> (with its <paramref name="mask"/>)
    /// over the shorter of the two, as keepalived's <c>check_udp_reply</c> compares: a reply shorter than the
    /// pattern matches when its octets do.</summary>
    /// <param name="mismatchAt">The first octet that differs, or -1.</param>
    public static bool Matches(ReadOnlySpan<byte> data, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> mask, out int mismatchAt)
    {
        var length = Math.Min(data.Length, pattern.Length);
        for (var i = 0; i < length; i++)
        {
            var ignore = i < mask.Length ? mask[i] : (byte)0;
            if (((data[i] ^ pattern[i]) & ~ignore & 0xff) != 0)
            {
                mismatchAt = i;
                return false;
            }
        }

        mismatchAt = -1;
        return true;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static bool TryNibble(string text, int index, bool allowWildcards, out byte value, out byte wild, out string? error)
    {
        var c = text[index];
        wild = 0;
        error = null;
        switch (c)
        {
            case >= '0' and <= '9':
                value = (byte)(c - '0');
                return true;
            case >= 'a' and <= 'f':
                value = (byte)(c - 'a' + 10);
                return true;
            case >= 'A' and <= 'F':
                value = (byte)(c - 'A' + 10);
                return true;
            case 'x' or 'X' when allowWildcards:
                value = 0;
                wild = 0x0f;
                return true;
            default:
                value = 0;
                error = allowWildcards
                    ? $"'{c}' at position {index + 1} is neither a hex digit nor x"
                    : $"'{c}' at position {index + 1} is not a hex digit";
                return false;
        }
    }
}
