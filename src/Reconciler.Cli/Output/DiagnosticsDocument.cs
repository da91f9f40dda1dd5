using System.Text.Json.Serialization;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Cli.Output;

/// <summary>The JSON form of a validation (<c>validate --json</c> and the like), in this property order.</summary>
internal sealed record DiagnosticsDocument(bool Valid, DiagnosticsCommit? Commit, int Errors, int Warnings, IReadOnlyList<DiagnosticsEntry> Diagnostics)
{
    public static DiagnosticsDocument Of(bool valid, IReadOnlyList<Diagnostic> diagnostics, CommitInfo? commit) => new(
        valid,
        commit is null ? null : new DiagnosticsCommit(commit.Sha, commit.Subject, commit.Author, commit.CommitTime),
        diagnostics.Count(d => d.IsError),
        diagnostics.Count(d => !d.IsError),
        [.. diagnostics.Select(DiagnosticsEntry.Of)]);
}

/// <summary>The commit the validated topology came from.</summary>
internal sealed record DiagnosticsCommit(string Sha, string Subject, string Author, DateTimeOffset Time);

/// <summary>One finding, its location flattened into file, line and column.</summary>
internal sealed record DiagnosticsEntry(string Severity, string Code, string Message, string? File, int? Line, int? Column, string? Path)
{
    public static DiagnosticsEntry Of(Diagnostic diagnostic) => new(
        diagnostic.IsError ? "error" : "warning",
        diagnostic.Code,
        diagnostic.Message,
        diagnostic.Location?.File,
        diagnostic.Location?.Line,
        diagnostic.Location?.Column,
        diagnostic.Path);
}

/// <summary>Source-generated serialization of the command line's own JSON: camelCase, indented, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DiagnosticsDocument))]
[JsonSerializable(typeof(ImportReportDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
