namespace Reconciler.GitSource.Source;

/// <summary>
/// Refuses a commit whose topology removes more than <see cref="MaxRemovedPercent"/> of the services of the last
/// good topology, or all of them (Argo CD's <c>allowEmpty</c>), unless allowed. Services are counted by name.
/// The default, 50 %, lets a normal change through (even removing 1 of 2 services) and stops a truncated file,
/// a wrong path or a bad merge from wiping the director. Not checked for the first topology (nothing to compare).
/// </summary>
public sealed record SafetyLimit
{
    public static SafetyLimit Default { get; } = new();

    /// <summary>No limit at all.</summary>
    public static SafetyLimit Disabled { get; } = new() { MaxRemovedPercent = 100, AllowEmpty = true };

    /// <summary>Largest share of services one commit may remove, 0..100.</summary>
    public double MaxRemovedPercent { get; init; } = 50;

    /// <summary>Allow a topology with no services at all (when the last good one had some).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>Commits (full sha) the operator has explicitly allowed to go past the limit.</summary>
    public IReadOnlySet<string> AllowedCommits { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the change is within the limit, else why it is refused.</summary>
    public string? Check(TopologyModel? lastGood, TopologyModel candidate, string commitSha)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (lastGood is null || lastGood.Services.Count == 0 || AllowedCommits.Contains(commitSha))
        {
            return null;
        }

        var kept = candidate.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var removed = lastGood.Services.Count(s => !kept.Contains(s.Name));
        if (candidate.Services.Count == 0 && !AllowEmpty)
        {
            return $"the commit removes every service ({lastGood.Services.Count}); allow it explicitly (allowEmpty or this commit's sha)";
        }

        var percent = 100.0 * removed / lastGood.Services.Count;
        return percent > MaxRemovedPercent
            ? $"the commit removes {removed} of {lastGood.Services.Count} services ({percent:0.#}%), more than the limit of {MaxRemovedPercent:0.#}%; allow it explicitly (raise the limit or allow this commit's sha)"
            : null;
    }
}
