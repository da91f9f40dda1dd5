namespace Reconciler.Cli.Tests;

/// <summary>The CLI writes to the process-wide console, which the tests capture: every test class that runs it
/// belongs here, and the collection runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class ConsoleCollection
{
    public const string Name = "console";
}
