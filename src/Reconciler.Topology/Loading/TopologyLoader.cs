using System.Text;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Validation;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Loads a topology from YAML: read (with limits), merge the files' top-level lists, validate against the
/// schema, bind to the model, validate the meaning. Every stage reports all it finds, located by file, line
/// and column; the semantic rules run once the files are well-formed (they would only repeat the schema's
/// complaints otherwise). Never throws for bad input.
/// </summary>
public static class TopologyLoader
{
    /// <summary>The top-level lists, in the order files are merged and written.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["nodes", "checks", "vrrpInstances", "vrrpSyncGroups", "services", "mail"];

    /// <summary>Top-level sections that are one mapping, given in at most one file, rather than lists concatenated.</summary>
    private static readonly string[] SingleSections = ["mail"];

    /// <summary>Loads files and directories; a directory contributes its <c>*.yaml</c> and <c>*.yml</c> files
    /// (not its subdirectories) in ordinal name order.</summary>
    public static TopologyLoadResult LoadPaths(IReadOnlyList<string> paths, TopologyLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= TopologyLoaderOptions.Default;
        var diagnostics = new List<Diagnostic>();
        var documents = new List<TopologyDocument>();
        long total = 0;
        foreach (var path in paths)
        {
            foreach (var file in Expand(path, diagnostics))
            {
                var document = ReadFile(file, options, diagnostics, ref total);
                if (document is not null)
                {
                    documents.Add(document);
                }
            }
        }

        return Load(documents, options, diagnostics);
    }

    private static IEnumerable<string> Expand(string path, List<Diagnostic> diagnostics)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                diagnostics.Add(Diagnostic.Error("no-files", $"{path}: the directory has no *.yaml or *.yml files", null));
            }

            return files;
        }

        if (File.Exists(path))
        {
            return [path];
        }

        diagnostics.Add(Diagnostic.Error("no-files", $"{path}: no such file or directory", null));
        return [];
    }

    private static TopologyDocument? ReadFile(string file, TopologyLoaderOptions options, List<Diagnostic> diagnostics, ref long total)
    {
        var start = new SourceLocation(file, 1, 1);
        try
        {
            var length = new FileInfo(file).Length;
            if (length > options.MaxFileBytes)
            {
                diagnostics.Add(Diagnostic.Error("too-large", $"the file is {length} bytes; the limit is {options.MaxFileBytes}", start));
                return null;
            }

            total += length;
            if (total > options.MaxTotalBytes)
            {
                diagnostics.Add(Diagnostic.Error("too-large", $"the files add up to more than {options.MaxTotalBytes} bytes", start));
                return null;
            }

            var bytes = File.ReadAllBytes(file);
            return new TopologyDocument(file, Decode(bytes));
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(Diagnostic.Error("not-text", "the file is not UTF-8 text", start));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error("unreadable", $"cannot read the file: {e.Message}", start));
        }

        return null;
    }

    private static string Decode(byte[] bytes)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        return encoding.GetString(span);
    }

    public static TopologyLoadResult LoadDocuments(IReadOnlyList<TopologyDocument> documents, TopologyLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Load(documents, options ?? TopologyLoaderOptions.Default, []);
    }

    private static TopologyLoadResult Load(IReadOnlyList<TopologyDocument> documents, TopologyLoaderOptions options, List<Diagnostic> diagnostics)
    {
        var merged = new JObject();
        var map = new TopologySourceMap(merged);
        var nodeBudget = options.MaxNodes;
        long total = 0;
        var unreadable = false;
        foreach (var document in documents)
        {
            var start = new SourceLocation(document.Name, 1, 1);
            if (document.Text.Length > options.MaxFileBytes)
            {
                diagnostics.Add(Diagnostic.Error("too-large", $"the file is {document.Text.Length} characters; the limit is {options.MaxFileBytes}", start));
                continue;
            }

            total += document.Text.Length;
            if (total > options.MaxTotalBytes)
            {
                diagnostics.Add(Diagnostic.Error("too-large", $"the files add up to more than {options.MaxTotalBytes} characters", start));
                break;
            }

            var root = YamlJsonReader.Read(document.Name, document.Text, options, diagnostics, ref nodeBudget);
            if (root is null)
            {
                unreadable = true;
                continue;
            }

            Merge(root, merged, diagnostics, start);
        }

        if (documents.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error("no-files", "no topology files were given", null));
        }

        // A file that could not be read at all stops here; smaller findings (a duplicate key, an unknown
        // top-level key) do not keep the schema from reporting the rest.
        if (unreadable || diagnostics.Any(d => d.IsError && d.Code is "too-large" or "no-files" or "not-text" or "unreadable"))
        {
            return Finish(null, diagnostics, documents, map);
        }

        var failedPointers = new HashSet<string>(StringComparer.Ordinal);
        ICollection<NJsonSchema.Validation.ValidationError> schemaErrors;
        try
        {
            schemaErrors = TopologySchema.Validator.Validate(merged);
        }
        catch (Exception e) when (e is ArithmeticException or FormatException or InvalidCastException or ArgumentException)
        {
            // The validator converts numbers to decimal; a number beyond that makes it throw.
            diagnostics.Add(Diagnostic.Error(SchemaErrorFormatter.Code, $"the file could not be checked against the schema: {e.Message}", map.Find(string.Empty)));
            return Finish(null, diagnostics, documents, map);
        }

        SchemaErrorFormatter.Format(schemaErrors, map, diagnostics, failedPointers);
        var topology = TopologyBinder.Bind(merged, map, diagnostics, failedPointers);
        if (topology is null || diagnostics.Any(d => d.IsError))
        {
            return Finish(null, diagnostics, documents, map);
        }

        diagnostics.AddRange(TopologyValidator.Validate(topology, map));
        return Finish(diagnostics.Any(d => d.IsError) ? null : topology, diagnostics, documents, map);
    }

    private static TopologyLoadResult Finish(Model.Topology? topology, List<Diagnostic> diagnostics, IReadOnlyList<TopologyDocument> documents, TopologySourceMap map)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            order.TryAdd(documents[i].Name, i);
        }

        var sorted = diagnostics
            .Select((d, i) => (Diagnostic: d, Index: i))
            .OrderBy(x => x.Diagnostic.Location is { } l && order.TryGetValue(l.File, out var o) ? o : int.MaxValue)
            .ThenBy(x => x.Diagnostic.Location?.Line ?? 0)
            .ThenBy(x => x.Diagnostic.Location?.Column ?? 0)
            .ThenBy(x => x.Index)
            .Select(x => x.Diagnostic)
            .ToArray();
        return new TopologyLoadResult(topology, sorted) { SourceMap = map };
    }

    /// <summary>Appends a document's top-level lists to the merged tree. Their items move with their locations
    /// (<see cref="TopologySourceMap"/>), so nothing needs rewriting.</summary>
    private static void Merge(JToken root, JObject merged, List<Diagnostic> diagnostics, SourceLocation start)
    {
        var documentMap = new TopologySourceMap(root);
        if (root is not JObject document)
        {
            diagnostics.Add(Diagnostic.Error(SchemaErrorFormatter.Code,
                $"(top level): expected a mapping with nodes, checks, vrrpInstances, vrrpSyncGroups, services and/or mail but found {SchemaErrorFormatter.Show(root)}",
                documentMap.Find(string.Empty) ?? start, string.Empty));
            return;
        }

        if (merged.Annotation<SourceLocation>() is null)
        {
            TopologySourceMap.SetValue(merged, documentMap.Find(string.Empty) ?? start);
        }

        foreach (var property in document.Properties().ToArray())
        {
            var pointer = JsonPointer.Append(string.Empty, property.Name);
            if (!Sections.Contains(property.Name))
            {
                var suggestion = SchemaErrorFormatter.Suggest(property.Name, Sections);
                var hint = suggestion is null ? "expected nodes, checks, vrrpInstances, vrrpSyncGroups, services or mail" : $"did you mean '{suggestion}'?";
                diagnostics.Add(Diagnostic.Error(SchemaErrorFormatter.Code, $"unknown top-level key '{property.Name}'; {hint}", documentMap.FindKey(pointer), pointer));
                continue;
            }

            if (property.Value.Type == JTokenType.Null)
            {
                continue;
            }

            if (SingleSections.Contains(property.Name))
            {
                if (merged[property.Name] is not null)
                {
                    diagnostics.Add(Diagnostic.Error(SchemaErrorFormatter.Code,
                        $"{property.Name}: given in more than one file; write it once", documentMap.FindKey(pointer), pointer));
                    continue;
                }

                // Moved with its locations (annotations on the key and the value), as list items are.
                property.Remove();
                merged.Add(property);
                continue;
            }

            if (property.Value is not JArray items)
            {
                diagnostics.Add(Diagnostic.Error(SchemaErrorFormatter.Code,
                    $"{property.Name}: expected a list but found {SchemaErrorFormatter.Show(property.Value)}", documentMap.Find(pointer), pointer));
                continue;
            }

            if (merged[property.Name] is not JArray target)
            {
                // The list, and its key, are located where the first file to give it wrote them.
                target = [];
                var section = new JProperty(property.Name, target);
                merged.Add(section);
                TopologySourceMap.SetValue(target, documentMap.Find(pointer)!);
                TopologySourceMap.SetKey(section, documentMap.FindKey(pointer)!);
            }

            foreach (var item in items.ToArray())
            {
                item.Remove();
                target.Add(item);
            }
        }
    }
}
