using System.Text.Json;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Cli.Output;

/// <summary>Prints diagnostics compiler-style (<c>path:line:col: error: message</c>) or as JSON.</summary>
internal static class DiagnosticsOutput
{
    public static void WriteText(TextWriter writer, IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            writer.WriteLine(diagnostic.ToString());
        }
    }

    public static string CountLine(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        return $"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}";
    }

    /// <summary>The findings as JSON; <paramref name="commit"/> (when the topology came from git) is named in it.</summary>
    public static string ToJson(bool valid, IReadOnlyList<Diagnostic> diagnostics, CommitInfo? commit = null) =>
        JsonSerializer.Serialize(DiagnosticsDocument.Of(valid, diagnostics, commit), CliJsonContext.Default.DiagnosticsDocument);
}
