using Reconciler.Cli.Output;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Cli.Tests.Output;

/// <summary>The exact text of <c>validate --json</c>'s findings, which CI jobs read: a change of serializer must
/// not change a byte.</summary>
public sealed class DiagnosticsOutputTests
{
    private static readonly DateTimeOffset When = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(-5));

    private static readonly Diagnostic[] Findings =
    [
        Diagnostic.Error("port-range", "port must be at most 65535, not 70000", new SourceLocation("topology/lb.yaml", 12, 7), "/services/0/port"),
        Diagnostic.Warning("odd-name", "name 'web <&> \"api\"' → ü", null),
    ];

    private static void Same(string expected, string actual) => Assert.Equal(expected, actual);

    [Fact]
    public void ToJson_WithCommitAndFindings_IsExactlyTheDocumentedForm() =>
        Same(WithCommit, DiagnosticsOutput.ToJson(false, Findings, new CommitInfo("0123456789abcdef", "Alice", "alice@example.com", When, "CI", "ci@example.com", When.AddMinutes(1), "Break it")));

    [Fact]
    public void ToJson_WithoutCommitOrFindings_IsExactlyTheDocumentedForm() =>
        Same(Valid, DiagnosticsOutput.ToJson(true, []));

    private const string WithCommit = """
        {
          "valid": false,
          "commit": {
            "sha": "0123456789abcdef",
            "subject": "Break it",
            "author": "Alice",
            "time": "2026-03-04T05:07:07-05:00"
          },
          "errors": 1,
          "warnings": 1,
          "diagnostics": [
            {
              "severity": "error",
              "code": "port-range",
              "message": "port must be at most 65535, not 70000",
              "file": "topology/lb.yaml",
              "line": 12,
              "column": 7,
              "path": "/services/0/port"
            },
            {
              "severity": "warning",
              "code": "odd-name",
              "message": "name \u0027web \u003C\u0026\u003E \u0022api\u0022\u0027 \u2192 \u00FC"
            }
          ]
        }
        """;

    private const string Valid = """
        {
          "valid": true,
          "errors": 0,
          "warnings": 0,
          "diagnostics": []
        }
        """;
}
