using Reconciler.Keepalived.Import;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Tests.Parsing;

/// <summary>keepalived's conditional lines (@ID, @^ID): one shared file read per node as that node's keepalived reads it.</summary>
public sealed class ConditionalLinesTests
{
    /// <summary>One file for both directors, as operators share it: the role, priority and router_id differ per node.</summary>
    private const string Shared = """
        global_defs {
        @lb1    router_id lb1
        @lb2    router_id lb2
        }
        vrrp_instance VI_1 {
        @lb1    state MASTER
        @^lb1   state BACKUP
            interface eth0
            virtual_router_id 51
        @lb1    priority 150
        @lb2    priority 100
            virtual_ipaddress {
                10.0.0.100
            }
        }
        virtual_server 10.0.0.100 80 {
            lb_algo rr
            real_server 10.0.1.1 80 {
            }
        }
        """;

    private static KeepalivedImportResult ImportShared(params (string Node, string? ConfigId)[] nodes) =>
        KeepalivedImporter.ImportText(nodes.Select(n => new KeepalivedText(n.Node, "shared.conf", Shared) { ConfigId = n.ConfigId }).ToList());

    [Fact]
    public void SharedFile_TwoNodes_EachNodeReadsItsOwnLines()
    {
        var result = ImportShared(("lb1", null), ("lb2", null));

        Assert.Empty(result.Diagnostics);
        var instance = Assert.Single(result.Topology!.VrrpInstances);
        Assert.Equal([KeyValuePair.Create("lb1", 150), KeyValuePair.Create("lb2", 100)], instance.Priorities);
    }

    [Fact]
    public void ConfigIdGiven_SelectsByItInsteadOfTheNodeName()
    {
        var result = ImportShared(("director-a", "lb2"), ("director-b", "lb1"));

        Assert.Empty(result.Diagnostics);
        var instance = Assert.Single(result.Topology!.VrrpInstances);
        Assert.Equal([KeyValuePair.Create("director-a", 100), KeyValuePair.Create("director-b", 150)], instance.Priorities);
    }

    [Fact]
    public void NodeUnnamed_ConditionalLineIsAnErrorSayingHowToName()
    {
        var result = KeepalivedImporter.ImportText([new KeepalivedText(null, "shared.conf", Shared)]);

        Assert.Null(result.Topology);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("conditional-line", new SourceLocation("shared.conf", 2, 1)), (error.Code, error.Location));
        Assert.Contains("NODE=FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains("--config-id NODE=ID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdOfNoImportedNode_IsWarnedWhereFirstUsed()
    {
        var text = Shared.Replace("@lb2    priority 100", "@lb3    priority 100", StringComparison.Ordinal);

        var result = KeepalivedImporter.ImportText([new KeepalivedText("lb1", "shared.conf", text), new KeepalivedText("lb2", "shared.conf", text)]);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("conditional-line", new SourceLocation("shared.conf", 11, 1)), (warning.Code, warning.Location));
        Assert.Contains("'lb3' match none of the imported nodes (lb1, lb2)", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lb1", "a b|c")]
    [InlineData("lb2", "kept")]
    public void Select_KeepsTheRestOfMatchingLinesAndLeavesOutTheOthers(string configId, string expected)
    {
        var diagnostics = new List<Diagnostic>();
        var selection = new ConditionalLines(configId);
        var tokens = KeepalivedLexer.Tokenize("@lb1 a b\n@^lb1 kept\n@lb2\n@^lb2 c\n", "f.conf", diagnostics);

        var selected = selection.Select(tokens, diagnostics);

        Assert.Empty(diagnostics);
        var lines = string.Concat(selected.Select(t => t.Kind == TokenKind.EndOfLine ? "\n" : t.Text + " "))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected, string.Join('|', lines));
        Assert.Equal(["lb1", "lb2"], selection.Identifiers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Select_LinesKeepTheirLocations_SoErrorsPointIntoTheSharedFile()
    {
        var diagnostics = new List<Diagnostic>();
        var tokens = KeepalivedLexer.Tokenize("@lb1   priority 150\n", "f.conf", diagnostics);

        var selected = new ConditionalLines("lb1").Select(tokens, diagnostics);

        Assert.Equal(new SourceLocation("f.conf", 1, 8), selected[0].Location);
    }

    [Fact]
    public void Select_BraceGluedToTheMarker_IsAnError()
    {
        var diagnostics = new List<Diagnostic>();
        var tokens = KeepalivedLexer.Tokenize("@lb1{ x\n", "f.conf", diagnostics);

        new ConditionalLines("lb1").Select(tokens, diagnostics);

        var error = Assert.Single(diagnostics);
        Assert.Equal(new SourceLocation("f.conf", 1, 1), error.Location);
        Assert.Contains("put a blank", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_QuotedAtSign_IsAnOrdinaryWord()
    {
        var diagnostics = new List<Diagnostic>();
        var tokens = KeepalivedLexer.Tokenize("\"@lb2\" x\n", "f.conf", diagnostics);

        var selected = new ConditionalLines("lb1").Select(tokens, diagnostics);

        Assert.Same(tokens, selected);
    }

    [Fact]
    public void Parser_IncludedFile_IsSelectedToo()
    {
        var files = new InMemoryFileSystem();
        files.Add("/etc/keepalived/vs.conf", "virtual_server 10.0.0.100 80 {\n@lb1 lb_algo wrr\n@^lb1 lb_algo rr\n}\n");
        var diagnostics = new List<Diagnostic>();

        var statements = KeepalivedParser.ParseText("include vs.conf\n", "/etc/keepalived/keepalived.conf", files, diagnostics, new ConditionalLines("lb2"));

        Assert.Empty(diagnostics);
        var server = Assert.Single(statements);
        Assert.Equal(["lb_algo rr"], server.Block!.Select(s => s.Name + " " + string.Join(' ', s.Arguments.Select(a => a.Text))));
    }
}
