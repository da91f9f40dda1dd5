namespace Reconciler.Topology.Model;

/// <summary>
/// keepalived 2.2.7's <c>track_file</c> arithmetic (trackers/track_file.c), shared by VRRP instances and real servers:
/// how a file's bytes become a number, and what the number does to whatever tracks the file.
/// </summary>
public static class TrackedFileValue
{
    /// <summary>keepalived reads at most this many bytes of the file (a 128-byte buffer with its terminator).</summary>
    public const int MaxBytes = 127;

    /// <summary>A VRRP result at or below this is FAULT (keepalived clamps to -254..253 and -254 means FAULT).</summary>
    public const int VrrpFault = -254;

    /// <summary>The highest VRRP result (the priority is clamped to 1..254 anyway).</summary>
    public const int VrrpMaximum = 253;

    /// <summary>A real server's result at or below this is FAULT (keepalived's -IPVS_WEIGHT_MAX, INT_MAX in 2.2.7).</summary>
    public const long RealServerFault = -int.MaxValue;

    /// <summary>
    /// The value of the file's content as C's <c>strtol(buf, NULL, 0)</c> reads it: leading blanks, an optional sign,
    /// then hex after <c>0x</c>, octal after a leading <c>0</c>, decimal otherwise, up to the first other character.
    /// No digits (empty, garbage) is 0, as keepalived takes it; a missing or unreadable file is 0 too (the caller's
    /// part). Null: a number beyond an int, which keepalived logs and ignores (the previous value stays).
    /// </summary>
    public static int? Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxBytes)
        {
            content = content[..MaxBytes];
        }

        var i = 0;
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            i++;
        }

        var negative = false;
        if (i < content.Length && content[i] is (byte)'+' or (byte)'-')
        {
            negative = content[i] == '-';
            i++;
        }

        var radix = 10;
        if (i < content.Length && content[i] == '0')
        {
            if (i + 2 < content.Length && content[i + 1] is (byte)'x' or (byte)'X' && Digit(content[i + 2]) is { } d && d < 16)
            {
                radix = 16;
                i += 2;
            }
            else
            {
                radix = 8;
            }
        }

        // Beyond long (ERANGE) or beyond int: keepalived ignores the read either way.
        long value = 0;
        for (; i < content.Length && Digit(content[i]) is { } digit && digit < radix; i++)
        {
            value = value * radix + digit;
            if (value > (long)int.MaxValue + 1)
            {
                return null;
            }
        }

        var signed = negative ? -value : value;
        return signed is < int.MinValue or > int.MaxValue ? null : (int)signed;
    }

    /// <summary>
    /// Reads the file as keepalived does: its first <see cref="MaxBytes"/> bytes through <see cref="Parse"/>; a missing,
    /// unreadable or empty file is 0. Null: a number out of range, which keepalived ignores. Never throws.
    /// </summary>
    public static int? Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            Span<byte> buffer = stackalloc byte[MaxBytes];
            var length = stream.ReadAtLeast(buffer, MaxBytes, throwOnEndOfStream: false);
            return Parse(buffer[..length]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>
    /// What <paramref name="value"/> does to a VRRP instance tracking the file with <paramref name="weight"/>
    /// (-254..254) and <paramref name="reverse"/>: weight 0 is FAULT on a non-zero value (reverse: on zero); otherwise
    /// value × weight (negated when reversed), clamped to -254..253, is added to the priority, and -254 is FAULT.
    /// </summary>
    public static TrackedFileEffect ForVrrp(int value, int weight, bool reverse) =>
        Effect(value, weight, reverse, VrrpFault, VrrpMaximum);

    /// <summary>
    /// What <paramref name="value"/> does to a real server's FILE_CHECK with <paramref name="weight"/> and
    /// <paramref name="reverse"/>: as <see cref="ForVrrp"/>, the result being added to the server's weight and FAULT
    /// (the server down) at -2147483647 or below.
    /// </summary>
    public static TrackedFileEffect ForRealServer(int value, int weight, bool reverse) =>
        Effect(value, weight, reverse, RealServerFault, int.MaxValue - 1L);

    /// <summary>A real server's weight with <paramref name="offset"/> added, within IPVS's 0..65535.</summary>
    public static int RealServerWeight(int configured, long offset) => (int)Math.Clamp(configured + offset, 0, 65535);

    private static TrackedFileEffect Effect(int value, int weight, bool reverse, long fault, long maximum)
    {
        if (weight == 0)
        {
            return new TrackedFileEffect((value != 0) != reverse, 0);
        }

        var status = Math.Clamp((long)value * weight * (reverse ? -1 : 1), fault, maximum);
        return status == fault ? new TrackedFileEffect(true, 0) : new TrackedFileEffect(false, status);
    }

    private static int? Digit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'Z' => b - 'A' + 10,
        _ => null,
    };
}

/// <summary>What a tracked file's value does: <paramref name="Fault"/> (the instance to FAULT, the real server down),
/// or else <paramref name="Offset"/> added to the priority or the weight.</summary>
public readonly record struct TrackedFileEffect(bool Fault, long Offset);
