using System.Text.Json;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Cli.Output;

/// <summary>Prints diagnostics compiler-style (<c>path:line:col: error: message</c>) or as JSON.</summary>
internal static class DiagnosticsOutput
{
    /// <summary>One line per finding, written at once: the console's writers flush every line, and a topology can
    /// warn once per service (a thousand system calls for a thousand lines otherwise).</summary>
    public static void WriteText(TextWriter writer, IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var text = new System.Text.StringBuilder();
        foreach (var diagnostic in diagnostics)
        {
            text.Append(diagnostic.ToString()).Append('\n');
        }

        writer.Write(text.ToString());
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
