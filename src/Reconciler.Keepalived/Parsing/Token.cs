using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Parsing;

/// <summary>One word of a keepalived.conf line, with where it starts. <paramref name="Quoted"/> is set for
/// <c>"..."</c> strings (the quotes are not part of <paramref name="Text"/>).</summary>
public sealed record Token(TokenKind Kind, string Text, SourceLocation Location, bool Quoted = false)
{
    public override string ToString() => Kind switch
    {
        TokenKind.OpenBrace => "{",
        TokenKind.CloseBrace => "}",
        TokenKind.EndOfLine => "end of line",
        _ => Text,
    };
}

public enum TokenKind
{
    Word,
    OpenBrace,
    CloseBrace,
    EndOfLine,
}
