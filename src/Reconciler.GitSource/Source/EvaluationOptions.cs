using Reconciler.GitSource.Signing;
using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Source;

/// <summary>What <see cref="CommitEvaluator"/> evaluates and with which checks: the commit <see cref="Rev"/> pins
/// (else the tip of <see cref="Branch"/>), the topology under <see cref="Path"/>, the signature policy, the loader's
/// limits and the safety limit.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Branch to follow; ignored when <see cref="Rev"/> is set.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>A commit sha (full or abbreviated), a tag or a branch.</summary>
    public string? Rev { get; init; }

    /// <summary>Topology folder (or single file) inside the repository; "" or "." is the root.</summary>
    public string Path { get; init; } = "";

    public SignaturePolicy Signatures { get; init; } = SignaturePolicy.Off;

    public TopologyLoaderOptions Loader { get; init; } = TopologyLoaderOptions.Default;

    /// <summary>Checked only when a previous topology is given to <see cref="CommitEvaluator.Evaluate"/>.</summary>
    public SafetyLimit Safety { get; init; } = SafetyLimit.Default;

    /// <summary>The evaluation part of a git source's options.</summary>
    public static EvaluationOptions Of(GitSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EvaluationOptions
        {
            Branch = options.Branch,
            Rev = options.Rev,
            Path = GitTopologyReader.NormalizePath(options.Path),
            Signatures = options.Signatures,
            Loader = options.Loader,
            Safety = options.Safety,
        };
    }
}
