using System.Net;
using System.Text.RegularExpressions;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// <c>reconciler import keepalived</c>: reads one keepalived.conf per director and merges them into one topology.
/// Nothing is dropped silently: every keyword the topology cannot express is a warning at its location, and any
/// error (syntax, invalid value, nodes that contradict each other) leaves the topology out of the result.
/// </summary>
public static partial class KeepalivedImporter
{
    /// <summary>Imports files from disk.</summary>
    public static KeepalivedImportResult Import(IReadOnlyList<KeepalivedSource> sources) =>
        Import(sources, PhysicalFileSystem.Instance);

    /// <summary>Imports files from <paramref name="fileSystem"/> (includes are resolved there too).</summary>
    public static KeepalivedImportResult Import(IReadOnlyList<KeepalivedSource> sources, IConfigFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(fileSystem);
        var diagnostics = new List<Diagnostic>();
        var parsed = new List<Parsed>(sources.Count);
        foreach (var source in sources)
        {
            var lines = new ConditionalLines(source.ConfigId ?? source.NodeName);
            parsed.Add(new Parsed(source.NodeName, source.Path, source.NodeAddresses, KeepalivedParser.ParseFile(source.Path, fileSystem, diagnostics, lines), lines));
        }

        return Build(parsed, diagnostics);
    }

    /// <summary>Imports configurations given as text; <c>include</c>s are looked up in <paramref name="includes"/>.</summary>
    public static KeepalivedImportResult ImportText(IReadOnlyList<KeepalivedText> texts, IConfigFileSystem? includes = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var fileSystem = includes ?? new InMemoryFileSystem();
        var diagnostics = new List<Diagnostic>();
        var parsed = new List<Parsed>(texts.Count);
        foreach (var text in texts)
        {
            var lines = new ConditionalLines(text.ConfigId ?? text.NodeName);
            parsed.Add(new Parsed(text.NodeName, text.FileName, text.NodeAddresses, KeepalivedParser.ParseText(text.Text, text.FileName, fileSystem, diagnostics, lines), lines));
        }

        return Build(parsed, diagnostics);
    }

    /// <summary>Imports one configuration given as text.</summary>
    public static KeepalivedImportResult ImportText(string text, string fileName = "keepalived.conf", string? nodeName = null) =>
        ImportText([new KeepalivedText(nodeName, fileName, text)]);

    private sealed record Parsed(string? NodeName, string File, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<Parsing.ConfigStatement>? Statements, ConditionalLines ConditionalLines);

    private static KeepalivedImportResult Build(List<Parsed> parsed, List<Diagnostic> diagnostics)
    {
        if (parsed.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error("no-input", "no keepalived.conf to import", null));
            return new KeepalivedImportResult(null, diagnostics);
        }

        var configs = new List<NodeConfig?>();
        foreach (var p in parsed)
        {
            if (p.Statements is null)
            {
                configs.Add(null);
                continue;
            }

            var config = NodeConfigReader.Read(p.File, p.Statements, diagnostics);
            if (config.IsEmpty)
            {
                diagnostics.Add(Diagnostic.Error("empty-config", "the configuration has no statements", new SourceLocation(p.File, 1, 1)));
            }

            configs.Add(config);
        }

        var names = ChooseNames(parsed, configs, diagnostics);
        WarnOfConditionalLinesForNoNode(parsed, diagnostics);
        var inputs = new List<TopologyMerger.NodeInput>();
        for (var i = 0; i < parsed.Count; i++)
        {
            if (configs[i] is { } config)
            {
                inputs.Add(new TopologyMerger.NodeInput(names[i].Name, config, parsed[i].Addresses));
            }
        }

        var topology = TopologyMerger.Merge(inputs, diagnostics);
        var hasErrors = diagnostics.Any(d => d.IsError);
        var report = new ImportReport([.. parsed.Select((p, i) => ImportReport.For(names[i].Name, p.File, p.Statements, diagnostics))]);
        return new KeepalivedImportResult(hasErrors ? null : topology, InSourceOrder(diagnostics)) { Nodes = names, Report = report };
    }

    /// <summary>
    /// A conditional line whose ID no imported node has is read by no director of this import: a typo, or a director
    /// left out. keepalived says nothing about it; the importer warns once per ID, where it is first used.
    /// </summary>
    private static void WarnOfConditionalLinesForNoNode(List<Parsed> parsed, List<Diagnostic> diagnostics)
    {
        var configIds = parsed.Select(p => p.ConditionalLines.ConfigId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (configIds.Count == 0)
        {
            return;
        }

        var warned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, location) in parsed.SelectMany(p => p.ConditionalLines.Identifiers))
        {
            if (!configIds.Contains(id) && warned.Add(id))
            {
                diagnostics.Add(Diagnostic.Warning(
                    "conditional-line",
                    $"conditional lines for config id '{id}' match none of the imported nodes ({string.Join(", ", configIds.Order(StringComparer.Ordinal))}): "
                    + $"only a director whose keepalived runs with -i {id} reads them; import it too (NODE=FILE, or --config-id NODE={id}) or correct the ID",
                    location));
            }
        }
    }

    /// <summary>Findings grouped by file (in the order files first appear) and sorted by line and column.</summary>
    private static List<Diagnostic> InSourceOrder(List<Diagnostic> diagnostics)
    {
        var fileRank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in diagnostics.Where(d => d.Location is not null))
        {
            fileRank.TryAdd(d.Location!.File, fileRank.Count);
        }

        return diagnostics
            .OrderBy(d => d.Location is null ? -1 : fileRank[d.Location.File])
            .ThenBy(d => d.Location?.Line ?? 0)
            .ThenBy(d => d.Location?.Column ?? 0)
            .ToList();
    }

    /// <summary>
    /// A given name wins; else every unnamed file's <c>router_id</c> when they are all present, valid names and
    /// distinct; else the file name without <c>.conf</c> (and a <c>.keepalived</c> before it):
    /// <c>lb1.keepalived.conf</c> is node <c>lb1</c>.
    /// </summary>
    private static List<ImportedNode> ChooseNames(List<Parsed> parsed, List<NodeConfig?> configs, List<Diagnostic> diagnostics)
    {
        var given = parsed.Where(p => p.NodeName is not null).Select(p => p.NodeName!).ToHashSet(StringComparer.Ordinal);
        var unnamed = Enumerable.Range(0, parsed.Count).Where(i => parsed[i].NodeName is null).ToList();
        var routerIds = unnamed.Select(i => configs[i]?.RouterId?.Value).ToList();
        var useRouterIds = routerIds.All(r => r is not null && NamePattern().IsMatch(r) && !given.Contains(r)) &&
                           routerIds.Distinct(StringComparer.Ordinal).Count() == routerIds.Count;

        var result = new List<ImportedNode>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parsed.Count; i++)
        {
            var p = parsed[i];
            ImportedNode node;
            if (p.NodeName is { } name)
            {
                node = new ImportedNode(name, p.File, NodeNameOrigin.Given);
                if (!NamePattern().IsMatch(name))
                {
                    diagnostics.Add(Diagnostic.Error("invalid-name", $"node name '{name}' is not a valid name (letters, digits, '_', '.', '-'; starting with a letter or digit)", new SourceLocation(p.File, 1, 1)));
                }
            }
            else if (useRouterIds)
            {
                node = new ImportedNode(configs[i]!.RouterId!.Value, p.File, NodeNameOrigin.RouterId);
            }
            else
            {
                node = new ImportedNode(FileStem(p.File), p.File, NodeNameOrigin.FileName);
            }

            if (seen.TryGetValue(node.Name, out var otherFile))
            {
                diagnostics.Add(Diagnostic.Error("duplicate-name", $"node name '{node.Name}' is used for both {otherFile} and {p.File}; name the nodes (NODE=FILE)", new SourceLocation(p.File, 1, 1)));
            }
            else
            {
                seen.Add(node.Name, p.File);
            }

            result.Add(node);
        }

        return result;
    }

    private static string FileStem(string path)
    {
        var name = Path.GetFileName(path.Replace('\\', '/'));
        if (name.EndsWith(".conf", StringComparison.Ordinal))
        {
            name = name[..^".conf".Length];
        }

        if (name.EndsWith(".keepalived", StringComparison.Ordinal) && name.Length > ".keepalived".Length)
        {
            name = name[..^".keepalived".Length];
        }

        var cleaned = InvalidNameChars().Replace(name, "-").TrimStart('-', '.', '_');
        return cleaned.Length == 0 ? "node" : cleaned.Length > 64 ? cleaned[..64] : cleaned;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex InvalidNameChars();
}
