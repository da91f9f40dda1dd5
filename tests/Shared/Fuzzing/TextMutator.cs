using System.Text;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// Line- and token-level mutations of configuration text (YAML, keepalived.conf): lines deleted, duplicated (a
/// duplicate key or block), swapped, moved, re-indented, joined; tokens replaced by others from the corpus or by
/// hostile ones (huge and negative numbers, bad addresses, YAML anchors and tags, braces, NUL, BOM, bidi overrides,
/// astral characters, unpaired surrogates); lines spliced in from other corpus entries; and now and then a byte-level
/// mutation of the UTF-8 underneath.
/// </summary>
internal sealed class TextMutator : IFuzzMutator
{
    private static readonly string[] InterestingTokens =
    [
        "", "0", "-0", "1", "-1", "00", "007", "0x10", "0o17", "255", "256", "65535", "65536", "2147483647", "2147483648", "-2147483649",
        "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "9999999999999999999999999999", "79228162514264337593543950335", "79228162514264337593543950336", "99999999999999999999999999999999999999",
        "1.7976931348623157e308", "1e400", "-1e400", "1e-400", "1.5", ".5", "5.", "NaN",
        ".nan", "inf", ".inf", "-.inf", "0s", "1s", "-1s", "1ms", "0.001ms", "99999999999d", "10675199d", "1h1m", "s", "10.0.0.1",
        "10.0.0.256", "0.0.0.0", "255.255.255.255", "224.0.0.18", "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/", "/24", "1.2.3", "::", "::1",
        "2001:db8::1/129", "fe80::1%eth0", "::ffff:10.0.0.1", "[::1]:80", "10.0.0.1:80", "[", "]", "{", "}", "{}", "[]", ":", ": ", "-", "- ",
        "?", ",", "&a", "*a", "*nosuch", "<<: *a", "!!binary", "!!int", "!!float", "!!map", "!!seq", "!!timestamp", "!custom", "|", ">", "|-",
        "~", "null", "true", "false", "yes", "no", "on", "off", "'", "\"", "\"\\u0000\"", "\"\\x\"", "''", "#", "!", "%YAML 1.2", "%TAG ! x",
        "---", "...", "\\", "\t", "\0", "\r", "\u00a0", "\u0085", "\u2028", "\u202e", "\ufeff", "\ufffd", "\u00e9", "\U0001F600", "\ud800",
        "include", "include *", "include /*", "include *.conf", "include ../../../../../etc/passwd", "@lb1", "@^lb1",
        new string('a', 16), new string('x', 65), new string('9', 400), new string('{', 80), new string('[', 80),
    ];

    private static readonly string[] InterestingNumbers =
        InterestingTokens.Where(t => t.Length > 0 && (char.IsAsciiDigit(t[0]) || t[0] is '-' or '.')).ToArray();

    private readonly IReadOnlyList<string[]> _corpusLines;
    private readonly string[] _dictionary;
    private readonly BinaryMutator _bytes;
    private readonly int _maxLength;

    public TextMutator(IReadOnlyList<byte[]> corpus, int maxLength)
    {
        _corpusLines = corpus.Select(c => Encoding.UTF8.GetString(c).Split('\n')).ToList();
        _dictionary = _corpusLines
            .SelectMany(lines => lines)
            .SelectMany(line => line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        _bytes = new BinaryMutator(corpus, maxLength);
        _maxLength = maxLength;
    }

    public byte[] Mutate(byte[] input, Random random)
    {
        if (random.Next(10) == 0)
        {
            return _bytes.Mutate(input, random);
        }

        // Mostly one mutation: configuration text is fragile, and without coverage feedback a pile of them rarely gets
        // past the syntax check to the code behind it.
        var lines = Encoding.UTF8.GetString(input).Split('\n').ToList();
        var stack = random.Next(3) == 0 ? 1 << random.Next(1, 4) : 1;
        for (var i = 0; i < stack; i++)
        {
            MutateOnce(lines, random);
        }

        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        return bytes.Length > _maxLength ? bytes[.._maxLength] : bytes;
    }

    private void MutateOnce(List<string> lines, Random random)
    {
        if (lines.Count == 0)
        {
            lines.Add("");
        }

        var index = random.Next(lines.Count);
        var line = lines[index];
        switch (random.Next(19))
        {
            case 0:
                lines.RemoveRange(index, Math.Min(random.Next(1, 4), lines.Count - index));
                break;
            case 1:
                lines.Insert(random.Next(2) == 0 ? index : random.Next(lines.Count + 1), line);
                break;
            case 2:
                var other = random.Next(lines.Count);
                (lines[index], lines[other]) = (lines[other], lines[index]);
                break;
            case 3:
                var count = Math.Min(random.Next(1, 8), lines.Count - index);
                var block = lines.GetRange(index, count);
                lines.RemoveRange(index, count);
                lines.InsertRange(random.Next(lines.Count + 1), block);
                break;
            case 4:
                lines[index] = Reindent(line, random);
                break;
            case 5:
                lines[index] = ReplaceToken(line, InterestingTokens[random.Next(InterestingTokens.Length)], random);
                break;
            case 6:
            case 7:
                lines[index] = ReplaceToken(line, _dictionary.Length == 0 ? "" : _dictionary[random.Next(_dictionary.Length)], random);
                break;
            case 8:
                lines[index] = ReplaceToken(line, "", random);
                break;
            case 9:
                var token = Tokens(line).ToArray();
                if (token.Length > 0)
                {
                    var (start, length) = token[random.Next(token.Length)];
                    lines[index] = line.Insert(start, line.Substring(start, length) + " ");
                }

                break;
            case 10:
                var donor = _corpusLines[random.Next(_corpusLines.Count)];
                lines.Insert(random.Next(lines.Count + 1), donor[random.Next(donor.Length)]);
                break;
            case 11:
                var from = _corpusLines[random.Next(_corpusLines.Count)];
                var keep = random.Next(lines.Count + 1);
                lines.RemoveRange(keep, lines.Count - keep);
                lines.AddRange(from.Skip(random.Next(from.Length)));
                break;
            case 12:
                lines[index] = line.Insert(random.Next(line.Length + 1), InterestingTokens[random.Next(InterestingTokens.Length)]);
                break;
            case 13:
            case 18:
                var withDigits = Enumerable.Range(0, lines.Count).Where(i => lines[i].Any(char.IsAsciiDigit)).ToArray();
                if (withDigits.Length > 0)
                {
                    var at = withDigits[random.Next(withDigits.Length)];
                    lines[at] = ReplaceNumber(lines[at], random);
                }

                break;
            case 14:
                var times = random.Next(2, 200);
                if (random.Next(2) == 0)
                {
                    lines.InsertRange(index, Enumerable.Repeat(line, times));
                }
                else
                {
                    var unit = InterestingTokens[random.Next(InterestingTokens.Length)];
                    lines[index] = line.Insert(random.Next(line.Length + 1), string.Concat(Enumerable.Repeat(unit, times)));
                }

                break;
            case 15:
                var text = string.Join('\n', lines);
                var cut = random.Next(text.Length + 1);
                lines.Clear();
                lines.AddRange(text[..cut].Split('\n'));
                break;
            case 16:
                if (random.Next(2) == 0 && index + 1 < lines.Count)
                {
                    lines[index] = line + lines[index + 1];
                    lines.RemoveAt(index + 1);
                }
                else
                {
                    lines[index] = line + "\r";
                }

                break;
            case 17:
                lines[index] = random.Next(3) switch
                {
                    0 => "#" + line,
                    1 => "!" + line,
                    _ => Quote(line, random),
                };
                break;
        }
    }

    private static string Reindent(string line, Random random)
    {
        var body = line.TrimStart(' ', '\t');
        var indent = line.Length - body.Length;
        return random.Next(5) switch
        {
            0 => body,
            1 => "\t" + line,
            2 => new string(' ', indent + random.Next(1, 5)) + body,
            3 => new string(' ', Math.Max(0, indent - random.Next(1, 5))) + body,
            _ => new string(' ', random.Next(0, 40)) + body,
        };
    }

    private static string ReplaceToken(string line, string replacement, Random random)
    {
        var tokens = Tokens(line).ToArray();
        if (tokens.Length == 0)
        {
            return line + replacement;
        }

        var (start, length) = tokens[random.Next(tokens.Length)];
        return string.Concat(line.AsSpan(0, start), replacement, line.AsSpan(start + length));
    }

    private static string ReplaceNumber(string line, Random random)
    {
        var digits = new List<(int Start, int Length)>();
        for (var i = 0; i < line.Length; i++)
        {
            if (char.IsAsciiDigit(line[i]))
            {
                var start = i;
                while (i < line.Length && char.IsAsciiDigit(line[i]))
                {
                    i++;
                }

                digits.Add((start, i - start));
            }
        }

        if (digits.Count == 0)
        {
            return line;
        }

        var (at, length) = digits[random.Next(digits.Count)];
        return string.Concat(line.AsSpan(0, at), InterestingNumbers[random.Next(InterestingNumbers.Length)], line.AsSpan(at + length));
    }

    private static string Quote(string line, Random random)
    {
        var tokens = Tokens(line).ToArray();
        if (tokens.Length == 0)
        {
            return line;
        }

        var (start, length) = tokens[random.Next(tokens.Length)];
        var quote = random.Next(2) == 0 ? "\"" : "'";
        var close = random.Next(4) == 0 ? "" : quote;
        return line[..start] + quote + line.Substring(start, length) + close + line[(start + length)..];
    }

    /// <summary>Runs of characters other than space, tab and CR.</summary>
    private static IEnumerable<(int Start, int Length)> Tokens(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is ' ' or '\t' or '\r')
            {
                continue;
            }

            var start = i;
            while (i < line.Length && line[i] is not (' ' or '\t' or '\r'))
            {
                i++;
            }

            yield return (start, i - start);
        }
    }
}
