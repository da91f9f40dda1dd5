using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Reconciler.Topology.Loading;

/// <summary>
/// Reads one YAML document into a JSON tree (what the schema validator takes) while recording where every
/// value and key was written (on the tree's tokens: <see cref="TopologySourceMap"/>). Iterative, with limits on depth, node count and alias expansion, so hostile
/// input costs little; never throws for bad input.
/// </summary>
internal sealed partial class YamlJsonReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly string _file;
    private readonly TopologyLoaderOptions _options;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
    private readonly List<Frame> _stack = [];
    private int _nodes;
    private int _aliasNodes;
    private JToken? _root;
    private bool _sawRoot;
    private bool _useSimpleReader;
    private bool _readSimply;

    private YamlJsonReader(string file, TopologyLoaderOptions options, List<Diagnostic> diagnostics)
    {
        _file = file;
        _options = options;
        _diagnostics = diagnostics;
    }

    /// <summary>The document's tree, its tokens located (null when it could not be read; the reasons are in
    /// <paramref name="diagnostics"/>).</summary>
    public static JToken? Read(string file, string text, TopologyLoaderOptions options, List<Diagnostic> diagnostics, ref int nodeBudget) =>
        Read(file, text, options, diagnostics, ref nodeBudget, useSimpleReader: true, out _);

    /// <summary>As <see cref="Read(string, string, TopologyLoaderOptions, List{Diagnostic}, ref int)"/>; with
    /// <paramref name="useSimpleReader"/> false YamlDotNet reads every document (the tests' reference), and
    /// <paramref name="readSimply"/> tells whether <see cref="SimpleBlockReader"/> read this one.</summary>
    internal static JToken? Read(
        string file, string text, TopologyLoaderOptions options, List<Diagnostic> diagnostics, ref int nodeBudget, bool useSimpleReader, out bool readSimply)
    {
        var reader = new YamlJsonReader(file, options, diagnostics) { _nodes = options.MaxNodes - nodeBudget, _useSimpleReader = useSimpleReader };
        var ok = reader.Run(text);
        nodeBudget = options.MaxNodes - reader._nodes;
        readSimply = reader._readSimply;
        return ok ? reader._root : null;
    }

    private SourceLocation At(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private bool Fail(string code, string message, SourceLocation location)
    {
        _diagnostics.Add(Diagnostic.Error(code, message, location));
        return false;
    }

    private bool Run(string text)
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return Fail("not-text", "the file is binary, not YAML text (it contains a NUL character)", LocationOfIndex(text, nul));
        }

        if (_useSimpleReader)
        {
            var diagnostics = _diagnostics.Count;
            var nodes = _nodes;
            if (SimpleBlockReader.TryRead(this, text))
            {
                _readSimply = true;
                return Finish();
            }

            // Not in the simple form (or a limit reached on the way): start again, and YamlDotNet reads it.
            _diagnostics.RemoveRange(diagnostics, _diagnostics.Count - diagnostics);
            _nodes = nodes;
            _aliasNodes = 0;
            _stack.Clear();
            _anchors.Clear();
            _root = null;
            _sawRoot = false;
        }

        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                if (!Handle(parser.Current!))
                {
                    return false;
                }
            }
        }
        catch (YamlException e)
        {
            // At the end of a text without a final line break YamlDotNet's mark is on a line after the last one.
            var location = e.Start.Index >= text.Length ? LocationOfIndex(text, text.Length) : At(e.Start);
            return Fail("yaml-syntax", "not valid YAML: " + CleanMessage(e), location);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException
                                       or IndexOutOfRangeException or NotSupportedException)
        {
            return Fail("yaml-syntax", "not valid YAML: " + e.Message, new SourceLocation(_file, 1, 1));
        }

        return Finish();
    }

    private bool Finish()
    {
        if (!_sawRoot || _root is null || _root.Type == JTokenType.Null)
        {
            return Fail("empty-file", "the file is empty: expected a mapping with nodes, checks, vrrpInstances, vrrpSyncGroups and/or services", new SourceLocation(_file, 1, 1));
        }

        return true;
    }

    private SourceLocation LocationOfIndex(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourceLocation(_file, line, index - lineStart + 1);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    private static string CleanMessage(YamlException e) => MarkPrefix().Replace(e.Message, string.Empty);

    private bool Handle(ParsingEvent e)
    {
        switch (e)
        {
            case StreamStart or StreamEnd or DocumentEnd or Comment:
                return true;
            case DocumentStart start:
                if (_sawRoot)
                {
                    return Fail("yaml-multiple-documents", "a file holds one YAML document; split the others into their own files", At(start.Start));
                }

                return true;
            case Scalar scalar:
                return OnScalar(scalar);
            case MappingStart mapping:
                return OnCollectionStart(new JObject(), mapping.Anchor, mapping.Tag, At(mapping.Start));
            case SequenceStart sequence:
                return OnCollectionStart(new JArray(), sequence.Anchor, sequence.Tag, At(sequence.Start));
            case MappingEnd or SequenceEnd:
                return OnCollectionEnd();
            case AnchorAlias alias:
                return OnAlias(alias);
            default:
                return true;
        }
    }

    private bool CountNode(SourceLocation location, int count = 1)
    {
        _nodes += count;
        if (_nodes > _options.MaxNodes)
        {
            return Fail("too-large", $"the topology has more than {_options.MaxNodes} YAML nodes", location);
        }

        return true;
    }

    private bool OnScalar(Scalar scalar)
    {
        var location = At(scalar.Start);
        if (scalar.Anchor.IsEmpty && scalar.Tag.IsEmpty)
        {
            return OnScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, location);
        }

        if (!CountNode(location))
        {
            return false;
        }

        var top = _stack.Count > 0 ? _stack[^1] : null;
        if (top is { IsMap: true, PendingKey: null })
        {
            if (!scalar.Anchor.IsEmpty)
            {
                _anchors[scalar.Anchor.Value] = new Anchor(new JValue(scalar.Value), 1, 0);
            }

            return SetKey(top, scalar.Value, location);
        }

        if (!scalar.Tag.IsEmpty && scalar.Tag.Value is not (StringTag or "!"))
        {
            return Fail("yaml-tag", $"unsupported YAML tag '{scalar.Tag.Value}' (only !!str is allowed)", location);
        }

        var value = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty ? YamlScalars.ResolvePlain(scalar.Value) : new JValue(scalar.Value);
        if (!scalar.Anchor.IsEmpty)
        {
            _anchors[scalar.Anchor.Value] = new Anchor(value, 1, 0);
        }

        AddValue(value, location);
        return true;
    }

    /// <summary>A scalar without anchor or tag: a key when a mapping waits for one, else a value (a plain one resolved
    /// to null, a boolean, a number or a string; a quoted one a string).</summary>
    private bool OnScalar(string text, bool plain, SourceLocation location)
    {
        if (!CountNode(location))
        {
            return false;
        }

        if (_stack.Count > 0 && _stack[^1] is { IsMap: true, PendingKey: null } top)
        {
            return SetKey(top, text, location);
        }

        AddValue(plain ? YamlScalars.ResolvePlain(text) : new JValue(text), location);
        return true;
    }

    private bool SetKey(Frame frame, string key, SourceLocation location)
    {
        frame.PendingKeyIsDuplicate = ((JObject)frame.Container).ContainsKey(key);
        if (frame.PendingKeyIsDuplicate)
        {
            var pointer = JsonPointer.Append(TopologySourceMap.PointerOf(frame.Container), key);
            _diagnostics.Add(Diagnostic.Error("yaml-duplicate-key", $"{JsonPointer.Display(pointer)}: duplicate key '{key}'", location, pointer));
        }

        frame.PendingKey = key;
        frame.PendingKeyLocation = location;
        return true;
    }

    private void AddValue(JToken value, SourceLocation location)
    {
        TopologySourceMap.SetValue(value, location);
        if (_stack.Count == 0)
        {
            _root = value;
            _sawRoot = true;
            return;
        }

        var top = _stack[^1];
        if (top.IsMap)
        {
            var mapping = (JObject)top.Container;
            var key = top.PendingKey!;
            // A duplicate key (an error already reported) replaces the earlier value, as the last one wins in YAML tools.
            var property = top.PendingKeyIsDuplicate && mapping.Property(key, StringComparison.Ordinal) is { } earlier ? Replace(earlier, value) : Add(mapping, key, value);
            TopologySourceMap.SetKey(property, top.PendingKeyLocation!);
            top.PendingKey = null;
            top.PendingKeyLocation = null;
        }
        else
        {
            ((JArray)top.Container).Add(value);
        }

        static JProperty Replace(JProperty earlier, JToken value)
        {
            earlier.Value = value;
            return earlier;
        }

        static JProperty Add(JObject mapping, string key, JToken value)
        {
            var property = new JProperty(key, value);
            mapping.Add(property);
            return property;
        }
    }

    private bool OnCollectionStart(JContainer container, AnchorName anchor, TagName tag, SourceLocation location)
    {
        if (!CountNode(location))
        {
            return false;
        }

        if (_stack.Count > 0 && _stack[^1] is { IsMap: true, PendingKey: null })
        {
            return Fail("yaml-complex-key", "mapping keys must be plain text, not lists or mappings", location);
        }

        if (!tag.IsEmpty)
        {
            return Fail("yaml-tag", $"unsupported YAML tag '{tag.Value}'", location);
        }

        if (_stack.Count >= _options.MaxDepth)
        {
            return Fail("too-deep", $"nesting is deeper than {_options.MaxDepth} levels", location);
        }

        AddValue(container, location);
        _stack.Add(new Frame(container, container is JObject, anchor.IsEmpty ? null : anchor.Value, _nodes));
        return true;
    }

    private bool OnCollectionEnd()
    {
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        var depth = frame.ChildDepth + 1;
        NoteDepth(depth);
        if (frame.Anchor is { } name)
        {
            _anchors[name] = new Anchor(frame.Container, _nodes - frame.NodesAtStart + 1, depth);
        }

        return true;
    }

    private bool OnAlias(AnchorAlias alias)
    {
        var location = At(alias.Start);
        if (!_anchors.TryGetValue(alias.Value.Value, out var anchor))
        {
            return Fail("yaml-alias", $"unknown alias '*{alias.Value.Value}'", location);
        }

        if (_stack.Count > 0 && _stack[^1] is { IsMap: true, PendingKey: null })
        {
            return anchor.Token is JValue { Type: JTokenType.String } keyValue
                ? SetKey(_stack[^1], (string)keyValue!, location)
                : Fail("yaml-complex-key", "mapping keys must be plain text, not lists or mappings", location);
        }

        _aliasNodes += anchor.Nodes;
        if (_aliasNodes > _options.MaxAliasExpansion)
        {
            return Fail("yaml-alias-bomb", $"aliases expand to more than {_options.MaxAliasExpansion} nodes; is this a 'billion laughs' document?", location);
        }

        if (_stack.Count + anchor.Depth > _options.MaxDepth)
        {
            return Fail("too-deep", $"nesting is deeper than {_options.MaxDepth} levels once aliases are expanded", location);
        }

        if (!CountNode(location, anchor.Nodes))
        {
            return false;
        }

        NoteDepth(anchor.Depth);
        var copy = anchor.Token.DeepClone();
        AddValue(copy, location);
        LocateDescendants(copy, location);
        return true;
    }

    /// <summary>Records the depth of a finished child (0 for scalars) in its parent, so anchors know theirs without a walk.</summary>
    private void NoteDepth(int depth)
    {
        if (_stack.Count > 0)
        {
            _stack[^1].ChildDepth = Math.Max(_stack[^1].ChildDepth, depth);
        }
    }

    /// <summary>Everything an alias brought in is located at the alias.</summary>
    private static void LocateDescendants(JToken token, SourceLocation location)
    {
        foreach (var descendant in token is JContainer container ? container.Descendants() : [])
        {
            TopologySourceMap.SetValue(descendant, location); // a JProperty's is its key's
        }
    }

    private sealed class Frame(JContainer container, bool isMap, string? anchor, int nodesAtStart)
    {
        public JContainer Container { get; } = container;

        public bool IsMap { get; } = isMap;

        public string? Anchor { get; } = anchor;

        public int NodesAtStart { get; } = nodesAtStart;

        public string? PendingKey { get; set; }

        /// <summary>The mapping has <see cref="PendingKey"/> already (an error reported): its value replaces the earlier one.</summary>
        public bool PendingKeyIsDuplicate { get; set; }

        /// <summary>Where <see cref="PendingKey"/> was written.</summary>
        public SourceLocation? PendingKeyLocation { get; set; }

        /// <summary>The depth of the deepest finished child collection.</summary>
        public int ChildDepth { get; set; }
    }

    private sealed record Anchor(JToken Token, int Nodes, int Depth);
}
