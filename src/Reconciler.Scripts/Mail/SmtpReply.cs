namespace Reconciler.Scripts.Mail;

/// <summary>
/// One SMTP reply on bytes (RFC 5321 section 4.2): lines of a three-digit code, then <c>-</c> on every line but the
/// last, which has a space or nothing after its code. Lines end with CRLF (a bare LF is taken too). The reply's
/// code is its last line's.
/// </summary>
public static class SmtpReply
{
    /// <summary>Reads the reply at the start of <paramref name="data"/>.</summary>
    /// <param name="code">The reply code, when complete.</param>
    /// <param name="firstLine">The first line's bytes without its line end, for a detail (complete or malformed).</param>
    public static SmtpReplyStatus Read(ReadOnlySpan<byte> data, out int code, out Range firstLine)
    {
        code = 0;
        firstLine = default;
        var start = 0;
        while (true)
        {
            var newline = data[start..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return SmtpReplyStatus.Incomplete;
            }

            var end = start + newline;
            var lineEnd = end > start && data[end - 1] == '\r' ? end - 1 : end;
            var line = data[start..lineEnd];
            if (start == 0)
            {
                firstLine = new Range(0, lineEnd);
            }

            if (line.Length < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2])
                || (line.Length > 3 && line[3] is not ((byte)' ' or (byte)'-')))
            {
                return SmtpReplyStatus.Malformed;
            }

            if (line.Length == 3 || line[3] == ' ')
            {
                code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
                return SmtpReplyStatus.Complete;
            }

            start = end + 1;
        }
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

public enum SmtpReplyStatus
{
    /// <summary>No last line yet: read on.</summary>
    Incomplete,

    /// <summary>A whole reply.</summary>
    Complete,

    /// <summary>A line that is not <c>NNN</c>, <c>NNN text</c> or <c>NNN-text</c>.</summary>
    Malformed,
}
