namespace Reconciler.Cli.Output;

/// <summary>Whether output goes to a person (colors) or to a pipe (none). NO_COLOR is honoured.</summary>
internal static class Terminal
{
    public static bool UseColor =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public static int Fail(string message)
    {
        Console.Out.Flush(); // what was printed before the failure comes first
        Console.Error.WriteLine($"reconciler: {message}");
        return ExitCodes.Error;
    }

    /// <summary>
    /// Standard output fully buffered while it is not a terminal, as C's stdio does; line by line to a person. .NET's
    /// console writer flushes every line, and <c>apply</c> prints one line per operation: 11,000 system calls for a
    /// 1,000 x 10 table. Flushed when disposed and before <see cref="Fail"/> writes to standard error.
    /// </summary>
    public static IDisposable BufferOutputWhenRedirected()
    {
        if (!Console.IsOutputRedirected)
        {
            return NoBuffer.Instance;
        }

        var buffered = new BufferedWriter(Console.Out);
        Console.SetOut(buffered);
        return buffered;
    }

    /// <summary>Collects what is written and hands it to the writer it replaced in pieces of 64 KB.</summary>
    private sealed class BufferedWriter(TextWriter inner) : TextWriter, IDisposable
    {
        private const int Piece = 64 * 1024;
        private readonly System.Text.StringBuilder _text = new();

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            _text.Append(value);
            FlushWhenFull();
        }

        public override void Write(string? value)
        {
            _text.Append(value);
            FlushWhenFull();
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            _text.Append(buffer);
            FlushWhenFull();
        }

        public override void Flush()
        {
            inner.Write(_text.ToString());
            inner.Flush();
            _text.Clear();
        }

        void IDisposable.Dispose()
        {
            Flush();
            Console.SetOut(inner);
        }

        private void FlushWhenFull()
        {
            if (_text.Length >= Piece)
            {
                Flush();
            }
        }
    }

    private sealed class NoBuffer : IDisposable
    {
        public static NoBuffer Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>Exit codes shared by every command (Terraform's for --detailed-exitcode).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Changes = 2;
}
