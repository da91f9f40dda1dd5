namespace Reconciler.Topology.Loading;

/// <summary>Limits that keep hostile input cheap: each is checked before the work it guards.</summary>
public sealed record TopologyLoaderOptions
{
    public static TopologyLoaderOptions Default { get; } = new();

    /// <summary>Largest file (or document text, in UTF-16 characters) read; checked before reading.</summary>
    public long MaxFileBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest total size of all files of one load.</summary>
    public long MaxTotalBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Deepest nesting of mappings and sequences (a topology needs about 8).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most YAML nodes (scalars, mappings, sequences) in one load, aliases expanded.</summary>
    public int MaxNodes { get; init; } = 2_000_000;

    /// <summary>Most nodes that aliases may add by expansion in one file (a "billion laughs" document hits it at once).</summary>
    public int MaxAliasExpansion { get; init; } = 100_000;
}
