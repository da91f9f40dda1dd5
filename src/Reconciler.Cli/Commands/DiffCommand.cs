using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Diff;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler diff [--repo DIR] [--format text|markdown|json] REV1 REV2</c>: the semantic difference between the
/// topologies at two revisions, per node, plus validation of REV2. <c>--format markdown</c> is a comment ready to
/// post on a pull request (examples/ci posts it). No root, no kernel needed.
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
        var format = new Option<string>("--format")
        {
            Description = "text (for a terminal), markdown (a pull request comment) or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var json = new Option<bool>("--json") { Description = "The same as --format json." };
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 without a difference, 2 with one, 1 on error or an invalid REV2." };
        var maxLength = new Option<int>("--max-length")
        {
            Description = $"markdown: cut the comment at this many characters, with a 'Truncated' note (GitHub allows {PullRequestCommentOptions.GitHubCommentLimit:N0}).",
            DefaultValueFactory = _ => PullRequestCommentOptions.DefaultMaxCharacters,
        };
        var riskServers = new Option<int>("--risk-servers")
        {
            Description = "Call out a change that takes more than this many real servers out of service at once (removed, weight 0, or their service removed).",
            DefaultValueFactory = _ => DiffRisks.DefaultServerLimit,
        };
        var commentKey = new Option<string?>("--comment-key")
        {
            Description = "markdown: a name for the hidden marker (<!-- reconciler-diff:KEY -->), for one comment per topology of a repository.",
        };
        var oldRevision = new Argument<string>("rev1") { Description = "The base revision (anything git resolves: a sha, HEAD~1, a tag, origin/main)." };
        var newRevision = new Argument<string>("rev2") { Description = "The revision to review." };
        var command = new Command("diff", "Show what changes between the topologies of two revisions (for pull requests).")
        {
            format, json, detailed, maxLength, riskServers, commentKey, stateDirectory, oldRevision, newRevision,
        };
        git.AddTo(command);
        // Option validators: a command's validator sees no default values.
        maxLength.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < PullRequestCommentOptions.MinMaxCharacters)
            {
                result.AddError($"--max-length must be at least {PullRequestCommentOptions.MinMaxCharacters:N0}");
            }
        });
        riskServers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--risk-servers must be 0 or more");
            }
        });
        commentKey.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } key && !PullRequestCommentOptions.IsValidKey(key))
            {
                result.AddError($"--comment-key '{key}': use letters, digits and ._/:- (no '--')");
            }
        });
        json.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<bool>() && result.GetResult(format) is { Implicit: false } given && given.GetValueOrDefault<string>() != "json")
            {
                result.AddError("--json and --format are contradictory: give one");
            }
        });
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
                var servers = parse.GetValue(riskServers);
                Console.Out.Write((parse.GetValue(json) ? "json" : parse.GetRequiredValue(format)) switch
                {
                    "json" => TopologyDiffRenderer.RenderJson(diff) + "\n",
                    "markdown" => TopologyDiffRenderer.RenderMarkdown(diff, new PullRequestCommentOptions(parse.GetValue(maxLength), servers, parse.GetValue(commentKey))),
                    _ => TopologyDiffRenderer.RenderText(diff, servers),
                });
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
