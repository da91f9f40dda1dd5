using System.Globalization;
using System.Text;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Parsing;

/// <summary>
/// Splits keepalived.conf text into words, braces and line ends, the way keepalived reads it:
/// whitespace separates words; <c>!</c> or <c>#</c> at the start of a word begins a comment that runs to the
/// end of the line; <c>"..."</c> is one word (without the quotes); <c>{</c> and <c>}</c> are tokens of their own
/// even when glued to a word (<c>vrrp_script monitor_nginx{</c>); a backslash at the end of a line continues it.
/// Control characters and undecodable bytes are reported as located errors and skipped.
/// </summary>
public static class KeepalivedLexer
{
    private const int MaxErrorsPerFile = 20;

    public static IReadOnlyList<Token> Tokenize(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        var tokens = new List<Token>();
        var errors = 0;
        var line = 1;
        var column = 1;
        var i = 0;
        var word = new StringBuilder();
        SourceLocation? wordStart = null;

        void Error(string message, SourceLocation location)
        {
            errors++;
            if (errors < MaxErrorsPerFile)
            {
                diagnostics.Add(Diagnostic.Error("syntax", message, location));
            }
            else if (errors == MaxErrorsPerFile)
            {
                diagnostics.Add(Diagnostic.Error("syntax", "too many errors in this file; no more are reported", location));
            }
        }

        void FlushWord()
        {
            if (wordStart is not null)
            {
                tokens.Add(new Token(TokenKind.Word, word.ToString(), wordStart));
                word.Clear();
                wordStart = null;
            }
        }

        void EndLine()
        {
            FlushWord();
            tokens.Add(new Token(TokenKind.EndOfLine, string.Empty, new SourceLocation(file, line, column)));
        }

        while (i < text.Length)
        {
            var c = text[i];
            var here = new SourceLocation(file, line, column);
            if (c == '\n')
            {
                EndLine();
                i++;
                line++;
                column = 1;
                continue;
            }

            if (c == '\r')
            {
                i++;
                column++;
                continue;
            }

            if (c == '\\' && IsLineContinuation(text, i + 1))
            {
                // A backslash ending the line joins the next line to this one.
                FlushWord();
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                i++;
                line++;
                column = 1;
                continue;
            }

            if (c is ' ' or '\t' or '\f' or '\v')
            {
                FlushWord();
                i++;
                column++;
                continue;
            }

            if (IsGarbage(c))
            {
                Error(DescribeGarbage(c), here);
                FlushWord();
                i++;
                column++;
                continue;
            }

            if (wordStart is null && (c == '!' || c == '#'))
            {
                // Comment to the end of the line (its content is not checked).
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                    column++;
                }

                continue;
            }

            if (c is '{' or '}')
            {
                FlushWord();
                tokens.Add(new Token(c == '{' ? TokenKind.OpenBrace : TokenKind.CloseBrace, c.ToString(), here));
                i++;
                column++;
                continue;
            }

            if (c == '"')
            {
                FlushWord();
                var start = here;
                var content = new StringBuilder();
                i++;
                column++;
                var closed = false;
                while (i < text.Length && text[i] != '\n')
                {
                    var q = text[i];
                    if (q == '"')
                    {
                        closed = true;
                        i++;
                        column++;
                        break;
                    }

                    if (q != '\r')
                    {
                        if (IsGarbage(q) && q != '\t')
                        {
                            Error(DescribeGarbage(q), new SourceLocation(file, line, column));
                        }
                        else
                        {
                            content.Append(q);
                        }
                    }

                    i++;
                    column++;
                }

                if (!closed)
                {
                    Error("unterminated quoted string (missing closing \")", start);
                }

                tokens.Add(new Token(TokenKind.Word, content.ToString(), start, Quoted: true));
                continue;
            }

            wordStart ??= here;
            word.Append(c);
            i++;
            column++;
        }

        EndLine();
        return tokens;
    }

    private static bool IsLineContinuation(string text, int index)
    {
        while (index < text.Length && text[index] is ' ' or '\t' or '\r')
        {
            index++;
        }

        return index < text.Length && text[index] == '\n';
    }

    private static bool IsGarbage(char c) =>
        c == '\uFFFD' || (char.IsControl(c) && c is not '\t' and not '\n' and not '\r' and not '\f' and not '\v');

    private static string DescribeGarbage(char c) => c == '\uFFFD'
        ? "bytes that are not valid UTF-8 text"
        : $"unexpected control character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
}
