using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Parsing;

/// <summary>
/// Reads a keepalived.conf into statements. A statement ends at the end of its line or at a brace; a block
/// opens with <c>{</c> on the keyword's line or alone on the next line, and closes with <c>}</c>.
/// <c>include PATTERN</c> is expanded where it stands (globs, relative to the including file's directory);
/// each included file must balance its own braces. Errors are reported with their location and parsing goes on:
/// the parser never throws on bad input.
/// </summary>
public sealed class KeepalivedParser
{
    private const int MaxIncludeDepth = 32;

    private readonly IConfigFileSystem _fileSystem;
    private readonly ICollection<Diagnostic> _diagnostics;
    private readonly Stack<string> _including = new();
    private readonly ConditionalLines _conditionalLines;

    private KeepalivedParser(IConfigFileSystem fileSystem, ICollection<Diagnostic> diagnostics, ConditionalLines? conditionalLines)
    {
        _fileSystem = fileSystem;
        _diagnostics = diagnostics;
        _conditionalLines = conditionalLines ?? new ConditionalLines(null);
    }

    /// <summary>Parses the file at <paramref name="path"/> (as the user named it; locations use that name), its
    /// includes too, as the director <paramref name="conditionalLines"/> selects for reads them (without one, a
    /// conditional line is an error).</summary>
    public static IReadOnlyList<ConfigStatement>? ParseFile(string path, IConfigFileSystem fileSystem, ICollection<Diagnostic> diagnostics, ConditionalLines? conditionalLines = null)
    {
        var parser = new KeepalivedParser(fileSystem, diagnostics, conditionalLines);
        var fullPath = fileSystem.GetFullPath(path);
        var text = fileSystem.ReadAllText(fullPath);
        if (text is null)
        {
            diagnostics.Add(Diagnostic.Error("file-not-found", $"cannot read '{path}'", new SourceLocation(path, 1, 1)));
            return null;
        }

        parser._including.Push(fullPath);
        return parser.ParseText(text, path, fullPath);
    }

    /// <summary>Parses text that is not in a file (includes are resolved against <paramref name="fileSystem"/>).</summary>
    public static IReadOnlyList<ConfigStatement> ParseText(string text, string file, IConfigFileSystem fileSystem, ICollection<Diagnostic> diagnostics, ConditionalLines? conditionalLines = null)
    {
        var parser = new KeepalivedParser(fileSystem, diagnostics, conditionalLines);
        var fullPath = fileSystem.GetFullPath(file);
        parser._including.Push(fullPath);
        return parser.ParseText(text, file, fullPath);
    }

    private List<ConfigStatement> ParseText(string text, string displayPath, string fullPath)
    {
        var tokens = _conditionalLines.Select(KeepalivedLexer.Tokenize(text, displayPath, _diagnostics), _diagnostics);
        var root = new List<ConfigStatement>();
        var open = new Stack<(ConfigStatement Owner, List<ConfigStatement> Block)>();
        List<ConfigStatement> CurrentBlock() => open.Count == 0 ? root : open.Peek().Block;

        ConfigStatement? current = null;
        ConfigStatement? lastCompleted = null;
        var lastCompletedOnEarlierLine = false;

        void Complete()
        {
            if (current is null)
            {
                return;
            }

            var block = CurrentBlock();
            if (current.Name == "include" && !current.HasBlock)
            {
                block.AddRange(Include(current, displayPath, fullPath));
                lastCompleted = null;
            }
            else
            {
                block.Add(current);
                lastCompleted = current;
            }

            current = null;
        }

        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Word:
                    if (current is null)
                    {
                        current = new ConfigStatement(token);
                        lastCompletedOnEarlierLine = false;
                    }
                    else
                    {
                        current.AddArgument(token);
                    }

                    break;

                case TokenKind.OpenBrace:
                    if (current is not null)
                    {
                        var owner = current;
                        var block = owner.OpenBlock(token);
                        current = null;
                        CurrentBlock().Add(owner);
                        lastCompleted = null;
                        open.Push((owner, block));
                    }
                    else if (lastCompleted is { HasBlock: false } previous && lastCompletedOnEarlierLine &&
                             CurrentBlock() is { Count: > 0 } siblings && ReferenceEquals(siblings[^1], previous))
                    {
                        // Brace on the line after its keyword: "virtual_server 10.0.0.1 80\n{".
                        var block = previous.OpenBlock(token);
                        lastCompleted = null;
                        open.Push((previous, block));
                    }
                    else
                    {
                        Error("unexpected '{' (no keyword before it)", token.Location);
                    }

                    break;

                case TokenKind.CloseBrace:
                    Complete();
                    if (open.Count == 0)
                    {
                        Error("unmatched '}' (no block is open here)", token.Location);
                    }
                    else
                    {
                        lastCompleted = open.Pop().Owner;
                        lastCompletedOnEarlierLine = false;
                    }

                    break;

                case TokenKind.EndOfLine:
                    Complete();
                    lastCompletedOnEarlierLine = lastCompleted is not null;
                    break;
            }
        }

        Complete();
        foreach (var (owner, _) in open)
        {
            Error($"'{owner.Name}' block opened here is never closed (missing '}}')", owner.OpenBrace?.Location ?? owner.Location);
        }

        return root;
    }

    private List<ConfigStatement> Include(ConfigStatement statement, string displayPath, string fullPath)
    {
        var result = new List<ConfigStatement>();
        if (statement.Arguments.Count == 0)
        {
            Error("include needs a file name or pattern", statement.Location);
            return result;
        }

        if (statement.Arguments.Count > 1)
        {
            Warning("unsupported-argument", $"include takes one pattern; '{statement.Arguments[1].Text}' and after are ignored", statement.Arguments[1].Location);
        }

        if (_including.Count > MaxIncludeDepth)
        {
            Error($"includes nested deeper than {MaxIncludeDepth} levels", statement.Location);
            return result;
        }

        var pattern = statement.Arguments[0].Text;
        var absolute = pattern.StartsWith('/');
        var directory = DirectoryOf(fullPath);
        var displayDirectory = DirectoryOf(displayPath);
        var fullPattern = absolute ? pattern : _fileSystem.GetFullPath(directory + "/" + pattern);

        IReadOnlyList<string> matches;
        if (Glob.HasWildcards(pattern))
        {
            matches = Glob.Expand(_fileSystem, fullPattern);
            if (matches.Count == 0)
            {
                Warning("include-no-match", $"include '{pattern}' matches no file", statement.Arguments[0].Location);
                return result;
            }
        }
        else
        {
            matches = [fullPattern];
        }

        foreach (var match in matches)
        {
            var matchFull = _fileSystem.GetFullPath(match);
            var matchDisplay = absolute
                ? matchFull
                : JoinDisplay(displayDirectory, RelativeTo(_fileSystem.GetFullPath(directory), matchFull));
            if (_including.Contains(matchFull))
            {
                Error("include-cycle", $"include cycle: '{matchDisplay}' is already being read", statement.Arguments[0].Location);
                continue;
            }

            var text = _fileSystem.ReadAllText(matchFull);
            if (text is null)
            {
                Error("include-not-found", $"cannot read included file '{matchDisplay}'", statement.Arguments[0].Location);
                continue;
            }

            _including.Push(matchFull);
            result.AddRange(ParseText(text, matchDisplay, matchFull));
            _including.Pop();
        }

        return result;
    }

    private static string DirectoryOf(string path)
    {
        var normalized = path.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : normalized[..slash];
    }

    private static string RelativeTo(string directory, string path)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;
    }

    private static string JoinDisplay(string directory, string relative) =>
        relative.StartsWith('/') ? relative : directory == "." ? relative : directory.TrimEnd('/') + "/" + relative;

    private void Error(string message, SourceLocation location) => Error("syntax", message, location);

    private void Error(string code, string message, SourceLocation location) => _diagnostics.Add(Diagnostic.Error(code, message, location));

    private void Warning(string code, string message, SourceLocation location) => _diagnostics.Add(Diagnostic.Warning(code, message, location));
}
