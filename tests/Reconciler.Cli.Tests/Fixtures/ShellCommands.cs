using System.Text;

namespace Reconciler.Cli.Tests.Fixtures;

/// <summary>
/// The simple commands of a line of shell, as words (quotes removed, variables left as written): enough to find the
/// <c>reconciler</c> command lines of a CI file. <c>; &amp;&amp; || | ( )</c> end a command, a comment ends the line,
/// redirections are dropped with their targets, <c>$(...)</c> stays one word, and leading keywords (<c>if ! then
/// do else</c>) are not the command.
/// </summary>
public static class ShellCommands
{
    private static readonly HashSet<string> Keywords = ["if", "then", "else", "elif", "do", "while", "until", "!", "{"];

    public static List<List<string>> Of(string line)
    {
        var commands = new List<List<string>>();
        var current = new List<string>();
        var word = new StringBuilder();
        var inWord = false;

        void EndWord()
        {
            if (inWord)
            {
                current.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }

        void EndCommand()
        {
            EndWord();
            var words = current.SkipWhile(Keywords.Contains).ToList();
            if (words.Count > 0)
            {
                commands.Add(words);
            }

            current = [];
        }

        for (var i = 0; i < line.Length;)
        {
            var c = line[i];
            if (c == '#' && !inWord)
            {
                break;
            }

            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                (inWord, i) = (true, end + 1);
            }
            else if (c == '"')
            {
                for (i++; line[i] != '"'; i++)
                {
                    i += line[i] == '\\' ? 1 : 0;
                    word.Append(line[i]);
                }

                (inWord, i) = (true, i + 1);
            }
            else if (c == '$' && i + 1 < line.Length && line[i + 1] == '(')
            {
                var depth = 0;
                do
                {
                    depth += line[i] == '(' ? 1 : line[i] == ')' ? -1 : 0;
                    word.Append(line[i++]);
                }
                while (depth > 0 || line[i - 1] != ')');
                inWord = true;
            }
            else if (c == '\\')
            {
                word.Append(line[i + 1]);
                (inWord, i) = (true, i + 2);
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord();
                i++;
            }
            else if (c is ';' or '|' or '&' or '(' or ')')
            {
                EndCommand();
                i++;
            }
            else if (c is '>' or '<')
            {
                // A redirection: a file descriptor number before it and the target after it are no arguments.
                if (inWord && word.ToString().All(char.IsAsciiDigit))
                {
                    word.Clear();
                    inWord = false;
                }

                EndWord();
                for (i++; i < line.Length && line[i] is '>' or '&' or ' '; i++)
                {
                }

                for (; i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not (';' or '|' or '&' or ')'); i++)
                {
                }
            }
            else
            {
                word.Append(c);
                (inWord, i) = (true, i + 1);
            }
        }

        EndCommand();
        return commands;
    }
}
