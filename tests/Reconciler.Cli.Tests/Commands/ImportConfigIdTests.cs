using Reconciler.Cli.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>import keepalived</c> with one file shared by two nodes through conditional lines, <c>--config-id</c>,
/// and the import report.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ImportConfigIdTests : IDisposable
{
    private const string Shared = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        @lb1    priority 150
        @lb2    priority 100
            virtual_ipaddress {
                10.0.0.100
            }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("import-config-id-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void SharedFile_EachNodeGetsItsPriority()
    {
        var shared = File("keepalived.conf", Shared);

        var result = CliRun.Invoke("import", "keepalived", $"a={shared}", $"b={shared}", "--config-id", "a=lb2", "--config-id", "b=lb1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("    priorities: {a: 100, b: 150}\n", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", "--config-id a: expected NODE=ID, once per node")]
    [InlineData("c=lb1", "--config-id c=...: no file is given as c=FILE")]
    public void ConfigIdMalformedOrForNoFile_IsRefused(string value, string message)
    {
        var shared = File("keepalived.conf", Shared);

        var result = CliRun.Invoke("import", "keepalived", $"a={shared}", "--config-id", value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Json_ListsEveryStatementOfEachNode()
    {
        var shared = File("keepalived.conf", Shared + "\nglobal_defs {\n    enable_script_security\n}\n");

        var result = CliRun.Invoke("import", "keepalived", $"lb1={shared}", $"lb2={shared}", "--report", "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(result.Output);
        var nodes = document.RootElement.GetProperty("nodes");
        Assert.Equal(["lb1", "lb2"], nodes.EnumerateArray().Select(n => n.GetProperty("node").GetString()));
        var counts = nodes[0].GetProperty("counts");
        Assert.Equal((7, 1), (counts.GetProperty("imported").GetInt32(), counts.GetProperty("dropped").GetInt32()));
        var dropped = Assert.Single(nodes[0].GetProperty("statements").EnumerateArray(), s => s.GetProperty("outcome").GetString() == "dropped");
        Assert.Equal(("global_defs/enable_script_security", 11), (dropped.GetProperty("keyword").GetString(), dropped.GetProperty("line").GetInt32()));
    }

    [Fact]
    public void JsonWithoutReport_IsRefused()
    {
        var result = CliRun.Invoke("import", "keepalived", $"a={File("keepalived.conf", Shared)}", "--json");

        Assert.Equal((1, true), (result.ExitCode, result.Error.Contains("--json needs --report", StringComparison.Ordinal)));
    }
}
