using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using YamlDotNet.Core;

namespace Reconciler.Topology.Loading;

internal sealed partial class YamlJsonReader
{
    /// <summary>
    /// Reads the form nearly every topology file has, without YamlDotNet's scanner and parser (two thirds of loading a
    /// 36,000-line topology): block mappings and sequences (indentless ones too), one-line plain and quoted scalars,
    /// one-line flow lists and mappings of them, comments, and a leading <c>---</c>. Anything else (anchors, aliases,
    /// tags, block and multi-line scalars, escapes, empty values, tabs, CR, non-ASCII, a scalar with characters
    /// outside a safe set, a limit reached) makes it give up before anything is kept, and YamlDotNet reads the file.
    /// It feeds the same handlers as YamlDotNet's events, with the same locations: a test reads the corpus, its
    /// mutations and generated topologies both ways and compares trees, locations and diagnostics.
    /// </summary>
    private sealed class SimpleBlockReader
    {
        private readonly YamlJsonReader _reader;
        private readonly string _text;
        private int _next;         // where the line after the current one starts
        private int _lineNumber;   // the current line's number, 1-based
        private int _lineStart;    // the index of its first character
        private int _lineEnd;      // the index of its line break, or the text's end
        private int _indent;       // the column (0-based) where the current node starts: past "- " in a compact entry
        private bool _atEnd;       // no content line is left

        private SimpleBlockReader(YamlJsonReader reader, string text)
        {
            _reader = reader;
            _text = text;
        }

        /// <summary>True when the whole document was read and handled; false when YamlDotNet must read it.</summary>
        public static bool TryRead(YamlJsonReader reader, string text)
        {
            if (!HasOnlySimpleCharacters(text))
            {
                return false;
            }

            try
            {
                new SimpleBlockReader(reader, text).Document();
                return true;
            }
            catch (NotSimpleException)
            {
                return false;
            }
        }

        private static bool HasOnlySimpleCharacters(string text)
        {
            foreach (var c in text)
            {
                if (c is (< ' ' and not '\n') or > '~')
                {
                    return false;
                }
            }

            return true;
        }

        private void Document()
        {
            NextLine();
            if (!_atEnd && _indent == 0 && _lineEnd - _lineStart == 3 && string.CompareOrdinal(_text, _lineStart, "---", 0, 3) == 0)
            {
                NextLine();
            }

            if (_atEnd || _text[_lineStart + _indent] is '[' or '{')
            {
                throw new NotSimpleException();
            }

            Node(_indent);
            if (!_atEnd)
            {
                throw new NotSimpleException();
            }
        }

        /// <summary>Moves to the next line with content (skipping blank and comment-only lines).</summary>
        private void NextLine()
        {
            while (_next < _text.Length)
            {
                var start = _next;
                var end = _text.IndexOf('\n', start);
                end = end < 0 ? _text.Length : end;
                _next = end + 1;
                _lineNumber++;
                var indent = 0;
                while (start + indent < end && _text[start + indent] == ' ')
                {
                    indent++;
                }

                if (start + indent == end || _text[start + indent] == '#')
                {
                    continue;
                }

                _lineStart = start;
                _lineEnd = end;
                _indent = indent;
                return;
            }

            _atEnd = true;
        }

        private int Content => _lineStart + _indent;

        private SourceLocation At(int index) => new(_reader._file, _lineNumber, index - _lineStart + 1);

        /// <summary>A block node whose first line is the current one, at <paramref name="indent"/>.</summary>
        private void Node(int indent)
        {
            if (IsEntry(Content))
            {
                Sequence(indent);
            }
            else
            {
                Mapping(indent);
            }
        }

        private bool IsEntry(int index) => _text[index] == '-' && (index + 1 == _lineEnd || _text[index + 1] == ' ');

        private void Sequence(int indent)
        {
            Start(new JArray(), At(Content));
            while (!_atEnd && _indent == indent && IsEntry(Content))
            {
                var item = SkipSpaces(Content + 1);
                if (item == _lineEnd || _text[item] == '#')
                {
                    NextLine();
                    if (_atEnd || _indent <= indent)
                    {
                        throw new NotSimpleException(); // an empty entry
                    }

                    Node(_indent);
                }
                else if (IsEntry(item) || _text[item] is '?' or ':')
                {
                    throw new NotSimpleException(); // a sequence or complex key in an entry
                }
                else if (KeyEnd(item) >= 0)
                {
                    _indent = item - _lineStart; // "- key: value": a mapping that starts in the entry
                    Mapping(_indent);
                }
                else
                {
                    InlineValue(item);
                    NextLine();
                    if (!_atEnd && _indent > indent)
                    {
                        throw new NotSimpleException(); // a scalar continued on the next line
                    }
                }
            }

            End();
        }

        private void Mapping(int indent)
        {
            Start(new JObject(), At(Content));
            while (!_atEnd && _indent == indent)
            {
                var key = Content;
                var keyEnd = KeyEnd(key);
                if (keyEnd < 0)
                {
                    throw new NotSimpleException();
                }

                Scalar(_text[key..keyEnd], plain: true, At(key));
                var value = SkipSpaces(keyEnd + 1);
                if (value == _lineEnd || _text[value] == '#')
                {
                    NextLine();
                    if (!_atEnd && _indent > indent)
                    {
                        Node(_indent);
                    }
                    else if (!_atEnd && _indent == indent && IsEntry(Content))
                    {
                        Sequence(indent);
                    }
                    else
                    {
                        throw new NotSimpleException(); // an empty value
                    }
                }
                else
                {
                    InlineValue(value);
                    NextLine();
                    if (!_atEnd && _indent > indent)
                    {
                        throw new NotSimpleException();
                    }
                }
            }

            End();
        }

        /// <summary>The end of a simple key starting at <paramref name="index"/> (the index of its colon, which a
        /// space or the line's end follows), or -1.</summary>
        private int KeyEnd(int index)
        {
            if (index >= _lineEnd || !char.IsAsciiLetterOrDigit(_text[index]) && _text[index] != '_')
            {
                return -1;
            }

            var end = index + 1;
            while (end < _lineEnd && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '-' or '.' or '/'))
            {
                end++;
            }

            // YAML limits an implicit key to 1,024 characters; YamlDotNet refuses a longer one.
            return end < _lineEnd && _text[end] == ':' && (end + 1 == _lineEnd || _text[end + 1] == ' ') && end - index < 1_000 ? end : -1;
        }

        /// <summary>A value on the rest of the line, which only spaces and a comment may follow.</summary>
        private void InlineValue(int index)
        {
            var end = _text[index] switch
            {
                '[' or '{' => Flow(index),
                '"' or '\'' => Quoted(index),
                _ => Plain(index, flow: false),
            };
            var after = SkipSpaces(end);
            if (after != _lineEnd && !(_text[after] == '#' && after > end))
            {
                throw new NotSimpleException();
            }
        }

        /// <summary>A flow list or mapping that ends on this line; returns the index after it.</summary>
        private int Flow(int index)
        {
            var isList = _text[index] == '[';
            var close = isList ? ']' : '}';
            Start(isList ? new JArray() : new JObject(), At(index));
            var at = SkipSpaces(index + 1);
            if (at < _lineEnd && _text[at] == close)
            {
                End();
                return at + 1;
            }

            while (true)
            {
                if (!isList)
                {
                    var keyEnd = KeyEnd(at);
                    if (keyEnd < 0 || keyEnd + 1 == _lineEnd)
                    {
                        throw new NotSimpleException();
                    }

                    Scalar(_text[at..keyEnd], plain: true, At(at));
                    at = SkipSpaces(keyEnd + 1);
                }

                at = SkipSpaces(FlowItem(at));
                if (at < _lineEnd && _text[at] == ',')
                {
                    at = SkipSpaces(at + 1);
                    if (at < _lineEnd && _text[at] == close)
                    {
                        throw new NotSimpleException(); // a trailing comma
                    }
                }
                else if (at < _lineEnd && _text[at] == close)
                {
                    End();
                    return at + 1;
                }
                else
                {
                    throw new NotSimpleException();
                }
            }
        }

        private int FlowItem(int index)
        {
            if (index >= _lineEnd)
            {
                throw new NotSimpleException();
            }

            return _text[index] switch
            {
                '[' or '{' => Flow(index),
                '"' or '\'' => Quoted(index),
                _ => Plain(index, flow: true),
            };
        }

        /// <summary>A quoted scalar without escapes on this line; returns the index after its closing quote.</summary>
        private int Quoted(int index)
        {
            var quote = _text[index];
            var close = _text.IndexOf(quote, index + 1, _lineEnd - index - 1);
            if (close < 0 || (quote == '\'' && close + 1 < _lineEnd && _text[close + 1] == '\'')
                || (quote == '"' && _text.IndexOf('\\', index + 1, close - index - 1) >= 0))
            {
                throw new NotSimpleException();
            }

            Scalar(_text[(index + 1)..close], plain: false, At(index));
            return close + 1;
        }

        /// <summary>A plain scalar of safe characters (letters, digits, spaces inside, and _ . / : @ + = - ~), not
        /// starting as an indicator would; returns the index after it (trailing spaces are not part of it).</summary>
        private int Plain(int index, bool flow)
        {
            if (!IsPlainCharacter(_text[index]) || _text[index] is ':' or '@' || (_text[index] == '-' && IsEntry(index)))
            {
                throw new NotSimpleException();
            }

            var end = index;
            while (end < _lineEnd)
            {
                var c = _text[end];
                if (c == ':' && (end + 1 == _lineEnd || _text[end + 1] is ' ' or ',' or ']' or '}'))
                {
                    throw new NotSimpleException(); // a mapping where a scalar was expected
                }

                if (flow && c is ',' or ']' or '}')
                {
                    break;
                }

                if (c == '#' && _text[end - 1] == ' ')
                {
                    break;
                }

                if (!IsPlainCharacter(c) && c != ' ')
                {
                    throw new NotSimpleException();
                }

                end++;
            }

            var last = end;
            while (_text[last - 1] == ' ')
            {
                last--;
            }

            Scalar(_text[index..last], plain: true, At(index));
            return last;
        }

        private static bool IsPlainCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '@' or '+' or '=' or '-' or '~';

        private int SkipSpaces(int index)
        {
            while (index < _lineEnd && _text[index] == ' ')
            {
                index++;
            }

            return index;
        }

        private void Start(JContainer container, SourceLocation location)
        {
            if (!_reader.OnCollectionStart(container, AnchorName.Empty, TagName.Empty, location))
            {
                throw new NotSimpleException();
            }
        }

        private void End() => _reader.OnCollectionEnd();

        private void Scalar(string text, bool plain, SourceLocation location)
        {
            if (!_reader.OnScalar(text, plain, location))
            {
                throw new NotSimpleException();
            }
        }
    }

    private sealed class NotSimpleException : Exception;
}
