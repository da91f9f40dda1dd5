using System.Text;
using Reconciler.GitSource.Audit;

namespace Reconciler.GitSource.Tests.Audit;

public sealed class BackwardLineReaderTests
{
    [Theory]
    [InlineData("a\nbb\n\nccc\n", 1)]
    [InlineData("a\nbb\n\nccc\n", 3)]
    [InlineData("a\nbb\n\nccc", 2)]
    [InlineData("\n\na\nbb\nccc\n\n", 64)]
    public void LinesFromEnd_AnyBlockSize_NonEmptyLinesLastFirst(string text, int blockSize)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = BackwardLineReader.LinesFromEnd(stream, blockSize).Select(Encoding.UTF8.GetString);

        Assert.Equal(["ccc", "bb", "a"], lines);
    }

    [Fact]
    public void LinesFromEnd_EmptyStream_NoLines() =>
        Assert.Empty(BackwardLineReader.LinesFromEnd(new MemoryStream(), 16));

    [Fact]
    public void LinesFromEnd_LastLinesOfAFiveMegabyteStream_OnlyTheLastBlockRead()
    {
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i} {new string('x', 90)}\n"));
        using var stream = new CountingStream(Encoding.UTF8.GetBytes(text));

        var lastThree = BackwardLineReader.LinesFromEnd(stream, 4096).Take(3).Select(l => Encoding.UTF8.GetString(l)[..10]).ToList();

        Assert.Equal(["line 49999", "line 49998", "line 49997"], lastThree);
        Assert.True(stream.Length > 5_000_000);
        Assert.Equal(4096, stream.BytesRead);
    }

    /// <summary>A memory stream that counts the bytes read from it (a derived MemoryStream's span reads come here too).</summary>
    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
    }
}
