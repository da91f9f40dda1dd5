namespace Reconciler.Bench;

/// <summary>One subcommand of the benchmark program.</summary>
internal interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    BenchmarkReport Run(IReadOnlyList<string> arguments);
}
