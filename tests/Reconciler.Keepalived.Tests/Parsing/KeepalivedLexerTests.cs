using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Tests.Parsing;

public sealed class KeepalivedLexerTests
{
    private static List<Token> Words(string text, List<Diagnostic>? diagnostics = null) =>
        KeepalivedLexer.Tokenize(text, "k.conf", diagnostics ?? []).Where(t => t.Kind != TokenKind.EndOfLine).ToList();

    [Fact]
    public void Tokenize_BraceGluedToWord_SplitsIt()
    {
        var tokens = Words("vrrp_script monitor_nginx{\n}");

        Assert.Equal(["vrrp_script", "monitor_nginx", "{", "}"], tokens.Select(t => t.ToString()));
        Assert.Equal(TokenKind.OpenBrace, tokens[2].Kind);
        Assert.Equal(new SourceLocation("k.conf", 1, 26), tokens[2].Location);
        Assert.Equal(new SourceLocation("k.conf", 2, 1), tokens[3].Location);
    }

    [Theory]
    [InlineData("! whole line\nx", new[] { "x" })]
    [InlineData("# whole line\nx", new[] { "x" })]
    [InlineData("a b # trailing\n", new[] { "a", "b" })]
    [InlineData("a b ! trailing\n", new[] { "a", "b" })]
    [InlineData("mail xxx@126.com #收到通知的邮件地址", new[] { "mail", "xxx@126.com" })]
    [InlineData("a#b", new[] { "a#b" })]
    public void Tokenize_Comments_AreDropped(string text, string[] expected) =>
        Assert.Equal(expected, Words(text).Select(t => t.Text));

    [Fact]
    public void Tokenize_QuotedString_IsOneWordWithoutQuotes()
    {
        var tokens = Words("script \"/bin/check -x { ! #\" 1");

        Assert.Equal(["script", "/bin/check -x { ! #", "1"], tokens.Select(t => t.Text));
        Assert.True(tokens[1].Quoted);
        Assert.Equal(8, tokens[1].Location.Column);
    }

    [Fact]
    public void Tokenize_UnterminatedQuote_IsLocatedError()
    {
        var diagnostics = new List<Diagnostic>();

        var tokens = Words("a\n  script \"/bin/x\nb", diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal("k.conf:2:10: error: unterminated quoted string (missing closing \")", error.ToString());
        Assert.Equal(["a", "script", "/bin/x", "b"], tokens.Select(t => t.Text));
    }

    [Fact]
    public void Tokenize_LineContinuation_JoinsLines()
    {
        var tokens = KeepalivedLexer.Tokenize("a \\\n b\nc", "k.conf", []);

        Assert.Equal(["a", "b", "", "c", ""], tokens.Select(t => t.Text));
        Assert.Equal(2, tokens[1].Location.Line);
    }

    [Fact]
    public void Tokenize_ControlCharactersAndBadUtf8_AreLocatedErrors()
    {
        var diagnostics = new List<Diagnostic>();

        Words("ok\nab\u0001c\n\uFFFD", diagnostics);

        Assert.Equal(
            ["k.conf:2:3: error: unexpected control character U+0001", "k.conf:3:1: error: bytes that are not valid UTF-8 text"],
            diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Tokenize_ManyBadBytes_StopsReportingAfterALimit()
    {
        var diagnostics = new List<Diagnostic>();

        Words(new string('\u0002', 500), diagnostics);

        Assert.Equal(20, diagnostics.Count);
        Assert.Contains("too many errors", diagnostics[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_CrLf_IsTreatedAsLf()
    {
        var tokens = Words("a b\r\nc\r\n");

        Assert.Equal(["a", "b", "c"], tokens.Select(t => t.Text));
        Assert.Equal(new SourceLocation("k.conf", 2, 1), tokens[2].Location);
    }
}
