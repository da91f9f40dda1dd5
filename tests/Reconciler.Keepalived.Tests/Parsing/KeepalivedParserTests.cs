using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Tests.Parsing;

public sealed class KeepalivedParserTests
{
    private static IReadOnlyList<ConfigStatement> Parse(string text, List<Diagnostic> diagnostics, InMemoryFileSystem? files = null) =>
        KeepalivedParser.ParseText(text, "/etc/keepalived/keepalived.conf", files ?? new InMemoryFileSystem(), diagnostics);

    [Fact]
    public void Parse_NestedBlocks_GivesTree()
    {
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("a 1 {\n  b 2\n  c {\n    d\n  }\n}\ne 3", diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(["a", "e"], statements.Select(s => s.Name));
        var a = statements[0];
        Assert.Equal(["1"], a.Arguments.Select(t => t.Text));
        Assert.Equal(["b", "c"], a.Block!.Select(s => s.Name));
        Assert.Equal("d", Assert.Single(a.Block![1].Block!).Name);
        Assert.Null(statements[1].Block);
    }

    [Fact]
    public void Parse_OneLineBlock_SplitsStatements()
    {
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("virtual_ipaddress { 10.0.0.1/24 dev eth0 }\nnext", diagnostics);

        Assert.Empty(diagnostics);
        var entry = Assert.Single(statements[0].Block!);
        Assert.Equal("10.0.0.1/24", entry.Name);
        Assert.Equal(["dev", "eth0"], entry.Arguments.Select(t => t.Text));
        Assert.Equal("next", statements[1].Name);
    }

    [Fact]
    public void Parse_BraceOnNextLine_OpensTheKeywordsBlock()
    {
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("virtual_server 10.0.0.1 80\n{\n  delay_loop 6\n}", diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal("delay_loop", Assert.Single(Assert.Single(statements).Block!).Name);
    }

    [Fact]
    public void Parse_UnclosedBlock_IsErrorAtTheOpeningBrace()
    {
        var diagnostics = new List<Diagnostic>();

        Parse("vrrp_instance VI_1 {\n  priority 100\n", diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal("/etc/keepalived/keepalived.conf:1:20: error: 'vrrp_instance' block opened here is never closed (missing '}')", error.ToString());
    }

    [Fact]
    public void Parse_UnmatchedClosingBrace_IsLocatedError()
    {
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("a {\n}\n}\nb", diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal(new SourceLocation("/etc/keepalived/keepalived.conf", 3, 1), error.Location);
        Assert.Contains("unmatched '}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], statements.Select(s => s.Name));
    }

    [Fact]
    public void Parse_BraceWithoutKeyword_IsLocatedError()
    {
        var diagnostics = new List<Diagnostic>();

        Parse("a {\n}\n{\n}", diagnostics);

        Assert.Contains(diagnostics, d => d.IsError && d.Location!.Line == 3 && d.Message.Contains("unexpected '{'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Include_ExpandsInPlaceWithIncludedFileLocations()
    {
        var files = new InMemoryFileSystem()
            .Add("/etc/keepalived/conf.d/vs.conf", "virtual_server 10.0.0.1 80 {\n  include ../rs/web.conf\n}")
            .Add("/etc/keepalived/rs/web.conf", "\nreal_server 10.0.1.1 80");
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("global_defs {\n}\ninclude conf.d/vs.conf\nlast", diagnostics, files);

        Assert.Empty(diagnostics);
        Assert.Equal(["global_defs", "virtual_server", "last"], statements.Select(s => s.Name));
        var rs = Assert.Single(statements[1].Block!);
        Assert.Equal("real_server", rs.Name);
        Assert.Equal(new SourceLocation("/etc/keepalived/rs/web.conf", 2, 1), rs.Location);
        Assert.Equal(new SourceLocation("/etc/keepalived/conf.d/vs.conf", 1, 1), statements[1].Location);
    }

    [Fact]
    public void Parse_IncludeGlob_ReadsMatchesInNameOrder()
    {
        var files = new InMemoryFileSystem()
            .Add("/etc/keepalived/conf.d/20-b.conf", "b")
            .Add("/etc/keepalived/conf.d/10-a.conf", "a")
            .Add("/etc/keepalived/conf.d/.hidden.conf", "hidden")
            .Add("/etc/keepalived/conf.d/notes.txt", "txt")
            .Add("/etc/keepalived/other/30-c.conf", "c");
        var diagnostics = new List<Diagnostic>();

        var statements = Parse("include conf.d/*.conf\ninclude /etc/keepalived/oth?r/[0-9]*-c.conf", diagnostics, files);

        Assert.Empty(diagnostics);
        Assert.Equal(["a", "b", "c"], statements.Select(s => s.Name));
        Assert.Equal("/etc/keepalived/conf.d/10-a.conf", statements[0].Location.File);
        Assert.Equal("/etc/keepalived/other/30-c.conf", statements[2].Location.File);
    }

    [Fact]
    public void Parse_IncludeGlobWithoutMatch_IsWarning()
    {
        var diagnostics = new List<Diagnostic>();

        Parse("include conf.d/*.conf", diagnostics);

        var warning = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("include-no-match", warning.Code);
        Assert.Equal(9, warning.Location!.Column);
    }

    [Fact]
    public void Parse_IncludeCycle_IsErrorAndStops()
    {
        var files = new InMemoryFileSystem()
            .Add("/etc/keepalived/a.conf", "from_a\ninclude b.conf")
            .Add("/etc/keepalived/b.conf", "from_b\ninclude a.conf");
        var diagnostics = new List<Diagnostic>();

        var statements = KeepalivedParser.ParseFile("/etc/keepalived/a.conf", files, diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal("include-cycle", error.Code);
        Assert.Equal(new SourceLocation("/etc/keepalived/b.conf", 2, 9), error.Location);
        Assert.Equal(["from_a", "from_b"], statements!.Select(s => s.Name));
    }

    [Fact]
    public void Parse_SelfInclude_IsCycle()
    {
        var files = new InMemoryFileSystem().Add("/k/a.conf", "include *.conf");
        var diagnostics = new List<Diagnostic>();

        KeepalivedParser.ParseFile("/k/a.conf", files, diagnostics);

        Assert.Equal("include-cycle", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Parse_MissingInclude_IsLocatedError()
    {
        var diagnostics = new List<Diagnostic>();

        Parse("\n  include missing.conf", diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal("include-not-found", error.Code);
        Assert.Equal(new SourceLocation("/etc/keepalived/keepalived.conf", 2, 11), error.Location);
    }

    [Fact]
    public void ParseFile_Missing_IsError()
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(KeepalivedParser.ParseFile("nope.conf", new InMemoryFileSystem(), diagnostics));
        Assert.Equal("file-not-found", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void ParseFile_FromDisk_RelativeIncludes()
    {
        var directory = Directory.CreateTempSubdirectory("keepalived-import-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "d"));
            File.WriteAllText(Path.Combine(directory.FullName, "main.conf"), "include d/*.conf\n");
            File.WriteAllText(Path.Combine(directory.FullName, "d", "x.conf"), "x_keyword 1\n");
            var diagnostics = new List<Diagnostic>();

            var statements = KeepalivedParser.ParseFile(Path.Combine(directory.FullName, "main.conf"), PhysicalFileSystem.Instance, diagnostics);

            Assert.Empty(diagnostics);
            Assert.Equal("x_keyword", Assert.Single(statements!).Name);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
