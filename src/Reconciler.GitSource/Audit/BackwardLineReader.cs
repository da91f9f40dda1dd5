namespace Reconciler.GitSource.Audit;

/// <summary>
/// The lines of a seekable stream, last first: blocks are read backwards from the end, so finding the newest lines
/// costs what those lines cost, not what the file does. Lines are split on <c>\n</c> (safe in UTF-8: the byte never
/// occurs inside a multi-byte character); empty lines are left out; a line that spans blocks is joined whole.
/// </summary>
internal static class BackwardLineReader
{
    public const int DefaultBlockSize = 64 * 1024;

    public static IEnumerable<byte[]> LinesFromEnd(Stream stream, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var block = new byte[blockSize];
        var position = stream.Length;

        // The end of a line whose start lies in an earlier block (not read yet).
        byte[] lineEnd = [];
        while (position > 0)
        {
            var count = (int)Math.Min(blockSize, position);
            position -= count;
            stream.Position = position;
            stream.ReadExactly(block, 0, count);

            var end = count;
            for (var i = count - 1; i >= 0; i--)
            {
                if (block[i] != (byte)'\n')
                {
                    continue;
                }

                var line = Join(block, i + 1, end - i - 1, lineEnd);
                lineEnd = [];
                end = i;
                if (line.Length > 0)
                {
                    yield return line;
                }
            }

            lineEnd = Join(block, 0, end, lineEnd);
        }

        if (lineEnd.Length > 0)
        {
            yield return lineEnd;
        }
    }

    private static byte[] Join(byte[] block, int start, int length, byte[] rest)
    {
        var line = new byte[length + rest.Length];
        Array.Copy(block, start, line, 0, length);
        rest.CopyTo(line, length);
        return line;
    }
}
