using System.CommandLine;
using Reconciler.Cli.Commands;

namespace Reconciler.Cli.Tests.Fixtures;

/// <summary>What one run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>
/// Runs the CLI in-process: the same command catalog as the executable, with the console captured. Commands write
/// to <see cref="Console"/>, which is process-wide, so runs are serialised (and the assembly runs its tests one at
/// a time).
/// </summary>
public static class CliRun
{
    private static readonly Lock Gate = new();

    /// <summary>How the CLI parses <paramref name="args"/>, without running anything.</summary>
    public static ParseResult Parse(params string[] args) => Root().Parse(args);

    private static RootCommand Root()
    {
        var root = new RootCommand("reconciler");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static CliResult Invoke(params string[] args)
    {
        lock (Gate)
        {
            var root = Root();
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            var (oldOut, oldError) = (Console.Out, Console.Error);
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
                return new CliResult(code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldError);
            }
        }
    }
}
