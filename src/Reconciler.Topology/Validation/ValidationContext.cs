using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation;

/// <summary>What a rule sees: the topology, where its elements were written, and where findings go.</summary>
public sealed class ValidationContext
{
    private readonly List<Diagnostic> _diagnostics = [];

    public ValidationContext(Model.Topology topology, TopologySourceMap? sources = null)
    {
        Topology = topology;
        Sources = sources ?? TopologySourceMap.Empty;
    }

    public Model.Topology Topology { get; }

    public TopologySourceMap Sources { get; }

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Reports at the value of <paramref name="pointer"/> (or at its key with <paramref name="atKey"/>);
    /// the message is prefixed with the element's path.</summary>
    public void Error(string code, string pointer, string message, bool atKey = false) => Report(Severity.Error, code, pointer, message, atKey);

    public void Warning(string code, string pointer, string message, bool atKey = false) => Report(Severity.Warning, code, pointer, message, atKey);

    /// <summary>" (first at file:line:col)" when the pointer's location is known, else empty.</summary>
    public string FirstAt(string pointer) => Sources.Find(pointer) is { } location ? $" (first at {location})" : string.Empty;

    private void Report(Severity severity, string code, string pointer, string message, bool atKey)
    {
        var location = atKey ? Sources.FindKey(pointer) : Sources.Find(pointer);
        _diagnostics.Add(new Diagnostic(severity, code, $"{JsonPointer.Display(pointer)}: {message}", location, pointer));
    }
}
