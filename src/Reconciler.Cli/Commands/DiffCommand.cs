using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Diff;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler diff [--repo DIR] REV1 REV2</c>: the semantic difference between the topologies at two revisions,
/// per node, plus validation of REV2; Markdown that pastes into a pull request. No root, no kernel needed.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var git = new GitOptions(defaultRepository: ".", includeRevision: false);
        var stateDirectory = new Option<string>("--state-dir")
        {
            Description = "Folder for the git cache when --repo is a URL.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_STATE_DIR") ?? "/var/lib/reconciler",
        };
        var json = new Option<bool>("--json") { Description = "Print the difference as JSON." };
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 without a difference, 2 with one, 1 on error or an invalid REV2." };
        var oldRevision = new Argument<string>("rev1") { Description = "The base revision (anything git resolves: a sha, HEAD~1, a tag, origin/main)." };
        var newRevision = new Argument<string>("rev2") { Description = "The revision to review." };
        var command = new Command("diff", "Show what changes between the topologies of two revisions (for pull requests).") { json, detailed, stateDirectory, oldRevision, newRevision };
        git.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                using var opened = git.Open(parse, parse.GetRequiredValue(stateDirectory));
                if (opened is null)
                {
                    return ExitCodes.Error;
                }

                var diff = opened.Diff(parse.GetRequiredValue(oldRevision), parse.GetRequiredValue(newRevision), parse.GetValue(git.Path));
                Console.Out.Write(parse.GetValue(json) ? TopologyDiffRenderer.RenderJson(diff) + "\n" : TopologyDiffRenderer.RenderMarkdown(diff));
                var code = DiffExitCode.Of(diff);
                return parse.GetValue(detailed) ? code : code == DiffExitCode.Error ? ExitCodes.Error : ExitCodes.Success;
            }
            catch (Exception e) when (e is Reconciler.GitSource.Source.GitSourceException or IOException or ArgumentException or InvalidOperationException)
            {
                return Terminal.Fail($"diff: {e.Message}");
            }
        });
        return command;
    }
}
