using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Parsing;

/// <summary>
/// One keepalived.conf statement: a keyword, its arguments on the same line, and an optional
/// <c>{ ... }</c> block of nested statements. Value blocks (<c>virtual_ipaddress { 10.0.0.1/24 dev eth0 }</c>)
/// are statements too: each line's first word is its <see cref="Keyword"/>.
/// </summary>
public sealed class ConfigStatement
{
    private readonly List<Token> _arguments = [];
    private List<ConfigStatement>? _block;

    internal ConfigStatement(Token keyword) => Keyword = keyword;

    public Token Keyword { get; }

    public string Name => Keyword.Text;

    public SourceLocation Location => Keyword.Location;

    public IReadOnlyList<Token> Arguments => _arguments;

    /// <summary>The nested statements, or null when the statement has no <c>{ }</c> block.</summary>
    public IReadOnlyList<ConfigStatement>? Block => _block;

    public bool HasBlock => _block is not null;

    internal Token? OpenBrace { get; private set; }

    internal void AddArgument(Token token) => _arguments.Add(token);

    internal List<ConfigStatement> OpenBlock(Token brace)
    {
        OpenBrace = brace;
        _block = [];
        return _block;
    }

    public override string ToString() =>
        string.Join(' ', _arguments.Select(a => a.Text).Prepend(Name)) + (_block is null ? string.Empty : " { ... }");
}
