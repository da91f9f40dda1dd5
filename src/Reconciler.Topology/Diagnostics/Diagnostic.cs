namespace Reconciler.Topology.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>
/// One finding about an input file. <see cref="Code"/> is a stable kebab-case identifier
/// (<c>duplicate-name</c>, <c>schema</c>, <c>unsupported-keyword</c>) for tools and tests;
/// <see cref="Path"/> is the JSON pointer of the element in the topology, when there is one.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Code, string Message, SourceLocation? Location, string? Path = null)
{
    public bool IsError => Severity == Severity.Error;

    /// <summary>The compiler-style line: <c>topology.yaml:12:7: error: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == Severity.Error ? "error" : "warning";
        return Location is null ? $"{severity}: {Message}" : $"{Location}: {severity}: {Message}";
    }

    public static Diagnostic Error(string code, string message, SourceLocation? location, string? path = null) =>
        new(Severity.Error, code, message, location, path);

    public static Diagnostic Warning(string code, string message, SourceLocation? location, string? path = null) =>
        new(Severity.Warning, code, message, location, path);
}
