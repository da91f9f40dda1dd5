using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Parsing;

/// <summary>
/// keepalived's conditional lines, for one director: a line that starts with <c>@ID</c> is read only by the keepalived
/// whose config id (<c>-i ID</c>; by default its host name) is ID, and one that starts with <c>@^ID</c> by every other;
/// the marker and the blanks after it are removed and the rest is read as a line of its own. A marker with nothing after
/// it drops the line. One shared file then serves many directors, and the importer reads it once per node, as that
/// node's keepalived would. Records every ID it meets, so the importer can point out the ones no imported node has.
/// </summary>
public sealed class ConditionalLines(string? configId)
{
    private readonly Dictionary<string, SourceLocation> _identifiers = new(StringComparer.Ordinal);

    /// <summary>The config id lines are selected by; null when the importer does not know which director reads the
    /// file (then a conditional line is an error: which of its lines count cannot be known).</summary>
    public string? ConfigId { get; } = configId;

    /// <summary>Each ID the conditional lines named, with the first place it was seen.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Identifiers => _identifiers;

    /// <summary>Lines kept (marker removed) and lines left out, over every file read with this selection.</summary>
    public int Kept { get; private set; }

    public int LeftOut { get; private set; }

    /// <summary>The tokens without the lines this director does not read, and without the markers of those it does.</summary>
    public IReadOnlyList<Token> Select(IReadOnlyList<Token> tokens, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(diagnostics);
        List<Token>? selected = null;
        bool reportedUnknownId = false;
        int lineStart = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != TokenKind.EndOfLine)
            {
                continue;
            }

            // tokens[lineStart..i) is one logical line (continuations joined), tokens[i] its end.
            var first = tokens[lineStart];
            if (i > lineStart && first is { Kind: TokenKind.Word, Quoted: false } && first.Text.StartsWith('@'))
            {
                selected ??= [.. tokens.Take(lineStart)];
                bool reverse = first.Text.StartsWith("@^", StringComparison.Ordinal);
                string id = first.Text[(reverse ? 2 : 1)..];
                _identifiers.TryAdd(id, first.Location);
                bool hasRest = i > lineStart + 1;
                if (hasRest && IsGlued(first, tokens[lineStart + 1]))
                {
                    diagnostics.Add(Diagnostic.Error(
                        "syntax",
                        $"conditional line '{first.Text}{tokens[lineStart + 1]}': put a blank between the {(reverse ? "@^" : "@")}ID marker and the rest of the line",
                        first.Location));
                }
                else if (ConfigId is null)
                {
                    if (!reportedUnknownId)
                    {
                        diagnostics.Add(Diagnostic.Error(
                            "conditional-line",
                            $"'{first.Text}' starts a conditional line, read only by the director whose keepalived config id (-i) {(reverse ? "is not" : "is")} '{id}'; "
                            + "say which director this file is for: NODE=FILE (the node's name is its config id) or --config-id NODE=ID",
                            first.Location));
                        reportedUnknownId = true;
                    }
                }
                else if (hasRest && string.Equals(id, ConfigId, StringComparison.Ordinal) != reverse)
                {
                    Kept++;
                    for (int j = lineStart + 1; j < i; j++)
                    {
                        selected.Add(tokens[j]);
                    }
                }
                else
                {
                    LeftOut++;
                }

                selected.Add(tokens[i]);
            }
            else
            {
                selected?.AddRange(tokens.Skip(lineStart).Take(i - lineStart + 1));
            }

            lineStart = i + 1;
        }

        return selected ?? tokens;
    }

    /// <summary>keepalived takes the ID up to the first blank; a brace right after it would be part of the ID.</summary>
    private static bool IsGlued(Token marker, Token next) =>
        next.Location.Line == marker.Location.Line && next.Location.Column == marker.Location.Column + marker.Text.Length;
}
