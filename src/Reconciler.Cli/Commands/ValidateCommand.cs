using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.Topology.Loading;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler validate PATH...</c> (or <c>-f PATH</c>, or <c>--repo URL</c> for the topology at a commit in git):
/// schema and semantic checks, every finding located (in git: at its path in the repository); exit 0 valid, 1 not.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Topology files or directories (a directory's YAML files are merged).", Arity = ArgumentArity.ZeroOrMore };
        var files = new Option<string[]>("--file", "-f") { Description = "Topology file or directory (repeatable; the same as PATH).", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON." };
        var stateDirectory = new Option<string>("--state-dir")
        {
            Description = "Folder for the git cache when reading --repo.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_STATE_DIR") ?? "/var/lib/reconciler",
        };
        var git = new GitOptions();
        var command = new Command("validate", "Validate topology files, or the topology at a commit in git, against the schema and the semantic rules.") { paths, files, json, stateDirectory };
        git.AddTo(command);
        git.ExclusiveWith(command, result => result.GetValue(paths) is { Length: > 0 } || result.GetValue(files) is { Length: > 0 }, "PATH (or -f)", required: true);
        command.SetAction(parse =>
        {
            TopologyLoadResult result;
            GitTopology? fromGit = null;
            if (git.IsGiven(parse))
            {
                fromGit = git.Load(parse, parse.GetRequiredValue(stateDirectory));
                if (fromGit is null)
                {
                    return ExitCodes.Error;
                }

                result = fromGit.Result;
            }
            else
            {
                result = TopologyLoader.LoadPaths([.. parse.GetValue(paths) ?? [], .. parse.GetValue(files) ?? []]);
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(DiagnosticsOutput.ToJson(result.IsValid, result.Diagnostics, fromGit?.Commit));
            }
            else
            {
                if (fromGit is not null)
                {
                    Console.Out.WriteLine($"Topology: {fromGit.Describe()}");
                }

                DiagnosticsOutput.WriteText(Console.Out, result.Diagnostics);
                Console.Out.WriteLine($"{(result.IsValid ? "valid" : "invalid")}: {DiagnosticsOutput.CountLine(result.Diagnostics)}");
            }

            return result.IsValid ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }
}
