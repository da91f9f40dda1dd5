using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Cli.Output;

/// <summary>Prints diagnostics compiler-style (<c>path:line:col: error: message</c>) or as JSON.</summary>
internal static class DiagnosticsOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

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
    public static string ToJson(bool valid, IReadOnlyList<Diagnostic> diagnostics, CommitInfo? commit = null) => JsonSerializer.Serialize(
        new
        {
            valid,
            commit = commit is null ? null : new { sha = commit.Sha, subject = commit.Subject, author = commit.Author, time = commit.CommitTime },
            errors = diagnostics.Count(d => d.IsError),
            warnings = diagnostics.Count(d => !d.IsError),
            diagnostics = diagnostics.Select(d => new
            {
                severity = d.IsError ? "error" : "warning",
                code = d.Code,
                message = d.Message,
                file = d.Location?.File,
                line = d.Location?.Line,
                column = d.Location?.Column,
                path = d.Path,
            }),
        },
        Json);
}
