using System.Buffers.Binary;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// Byte-level mutations in the manner of AFL's havoc stage, without coverage feedback: bit flips, interesting values
/// (0, 0x7f, 0xff, boundaries of 16 and 32 bits, in either byte order), small arithmetic, values derived from the input's
/// own length (length fields are where decoders go wrong), insertions, deletions, duplicated chunks, and splices with
/// other corpus entries.
/// </summary>
internal sealed class BinaryMutator : IFuzzMutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x0f, 0x10, 0x20, 0x40, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff];

    private static readonly uint[] InterestingWords =
        [0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 20, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

    private readonly IReadOnlyList<byte[]> _corpus;
    private readonly int _maxLength;

    public BinaryMutator(IReadOnlyList<byte[]> corpus, int maxLength)
    {
        _corpus = corpus;
        _maxLength = maxLength;
    }

    public byte[] Mutate(byte[] input, Random random)
    {
        var data = new List<byte>(input);
        var stack = 1 << random.Next(4);
        for (var i = 0; i < stack; i++)
        {
            MutateOnce(data, random);
        }

        if (data.Count > _maxLength)
        {
            data.RemoveRange(_maxLength, data.Count - _maxLength);
        }

        return [.. data];
    }

    /// <summary>One mutation in place.</summary>
    public void MutateOnce(List<byte> data, Random random)
    {
        if (data.Count == 0)
        {
            Insert(data, random);
            return;
        }

        switch (random.Next(15))
        {
            case 0:
                data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                data[random.Next(data.Count)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2:
            case 3:
                WriteWord(data, random, InterestingWords[random.Next(InterestingWords.Length)]);
                break;
            case 4:
                WriteWord(data, random, LengthLike(data, random));
                break;
            case 5:
                var at = random.Next(data.Count);
                data[at] = unchecked((byte)(data[at] + random.Next(-35, 36)));
                break;
            case 6:
                data[random.Next(data.Count)] = (byte)random.Next(256);
                break;
            case 7:
                Insert(data, random);
                break;
            case 8:
            case 9:
                var start = random.Next(data.Count);
                data.RemoveRange(start, random.Next(1, Math.Min(data.Count - start, 64) + 1));
                break;
            case 10:
                var (from, count) = Chunk(data.Count, random);
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(from, count));
                break;
            case 11:
                var (source, length) = Chunk(data.Count, random);
                var chunk = data.GetRange(source, length);
                var target = random.Next(data.Count - length + 1);
                for (var i = 0; i < length; i++)
                {
                    data[target + i] = chunk[i];
                }

                break;
            case 12:
                var other = _corpus[random.Next(_corpus.Count)];
                var keep = random.Next(data.Count + 1);
                data.RemoveRange(keep, data.Count - keep);
                data.AddRange(other.AsSpan(random.Next(other.Length + 1)).ToArray());
                break;
            case 13:
                var donor = _corpus[random.Next(_corpus.Count)];
                var (offset, size) = Chunk(donor.Length, random);
                data.InsertRange(random.Next(data.Count + 1), donor.AsSpan(offset, size).ToArray());
                break;
            default:
                var cut = random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                break;
        }
    }

    private static void Insert(List<byte> data, Random random)
    {
        var bytes = new byte[random.Next(1, 17)];
        if (random.Next(2) == 0)
        {
            random.NextBytes(bytes);
        }
        else
        {
            Array.Fill(bytes, InterestingBytes[random.Next(InterestingBytes.Length)]);
        }

        data.InsertRange(random.Next(data.Count + 1), bytes);
    }

    /// <summary>A value a length field might hold: what is left after an aligned offset, give or take a little.</summary>
    private static uint LengthLike(List<byte> data, Random random)
    {
        var offset = random.Next(data.Count) & ~3;
        return (uint)Math.Max(0, data.Count - offset + random.Next(-8, 9));
    }

    /// <summary>A 1, 2 or 4 byte value at a random (often 4-aligned) offset, little- or big-endian.</summary>
    private static void WriteWord(List<byte> data, Random random, uint value)
    {
        var width = random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
        if (data.Count < width)
        {
            return;
        }

        var offset = random.Next(data.Count - width + 1);
        if (random.Next(2) == 0)
        {
            offset &= ~3;
        }

        Span<byte> bytes = stackalloc byte[4];
        if (random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value << (8 * (4 - width)));
        }

        for (var i = 0; i < width; i++)
        {
            data[offset + i] = bytes[i];
        }
    }

    private static (int Offset, int Length) Chunk(int size, Random random)
    {
        if (size == 0)
        {
            return (0, 0);
        }

        var length = random.Next(1, Math.Min(size, 128) + 1);
        return (random.Next(size - length + 1), length);
    }
}
