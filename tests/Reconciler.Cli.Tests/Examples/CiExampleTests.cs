using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Keepalived.Tests;
using YamlDotNet.RepresentationModel;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.Cli.Tests.Examples;

/// <summary>
/// examples/ci: the commands the GitHub and GitLab jobs run, run for real (bash, git, the built reconciler, jq) in a
/// real repository holding a base commit and a pull request; only what talks to the forge is left out.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CiExampleTests : IDisposable
{
    private const string Marker = "<!-- reconciler-diff -->";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static YamlMappingNode Yaml(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepositoryPaths.Examples("ci", file))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    private static IEnumerable<string> Scalars(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(key, out var list) ? ((YamlSequenceNode)list).Select(n => ((YamlScalarNode)n).Value!) : [];

    private static List<(string Name, string Run)> GitHubSteps() =>
        ((YamlSequenceNode)Map(Map(Yaml("github-actions.yml"), "jobs"), "diff")["steps"])
            .Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run"))
            .Select(s => (Text(s, "name"), Text(s, "run")))
            .ToList();

    private static YamlMappingNode GitLabJob() => Map(Yaml("gitlab-ci.yml"), "reconciler-diff");

    /// <summary>Every script of every example, and which file it is in.</summary>
    private static IEnumerable<(string File, string Script)> Scripts() =>
    [
        .. GitHubSteps().Select(s => ("github-actions.yml", s.Run)),
        .. Scalars(GitLabJob(), "before_script").Concat(Scalars(GitLabJob(), "script")).Select(s => ("gitlab-ci.yml", s)),
        .. ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)Yaml("pre-commit-config.yaml")["repos"])[0])["hooks"]).Select(h => ("pre-commit-config.yaml", Text(h, "entry"))),
        ("pre-commit", File.ReadAllText(RepositoryPaths.Examples("ci", "pre-commit"))),
    ];

    [Fact]
    public void EveryReconcilerCommandLine_ParsesWithTheCli()
    {
        var invocations = Scripts()
            .SelectMany(s => s.Script.Split('\n').SelectMany(ShellCommands.Of).Where(c => c[0] is "reconciler" or "$reconciler").Select(c => (s.File, Args: c.Skip(1).ToList())))
            .ToList();

        Assert.Equal(
            ["github-actions.yml --version", "github-actions.yml validate", "github-actions.yml diff", "gitlab-ci.yml validate", "gitlab-ci.yml diff", "pre-commit-config.yaml validate", "pre-commit validate"],
            invocations.Select(i => $"{i.File} {i.Args[0]}"));
        foreach (var (file, args) in invocations)
        {
            var values = args.Select(a => Regex.Replace(a, @"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", "X")).ToArray();
            var parse = CliRun.Parse(values);
            Assert.True(parse.Errors.Count == 0, $"{file}: reconciler {string.Join(' ', args)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }

        var diffs = invocations.Where(i => i.Args[0] == "diff").ToList();
        Assert.All(diffs, d => Assert.Equal(["--format", "markdown"], d.Args.SkipWhile(a => a != "--format").Take(2)));
        Assert.All(diffs, d => Assert.Contains("--detailed-exitcode", d.Args));
    }

    /// <summary>A repository with the seed topology on main and a pull request branch <c>pr</c> with
    /// <paramref name="change"/>; returns the base commit and the pull request's head.</summary>
    private (WorkTree Tree, string Base, string Head) PullRequest(string name, string change)
    {
        var tree = new WorkTree(_temp.Sub(name), _temp.Sub(name + "-home"));
        var @base = tree.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        tree.Git("checkout", "-q", "-b", "pr");
        var head = tree.Commit("Change", "topology/lb.yaml", change);
        return (tree, @base, head);
    }

    private static string Invalid => Edit(Samples.Seed, ("        weight: 5", "        weight: 70000"));

    private static string Changed => Edit(Samples.Seed, Weight, MoveVipOut, MoveVipIn);

    /// <summary>The GitHub job's steps that run reconciler, as a runner runs them: in a checkout of the merge commit
    /// GitHub makes, with the workflow's env and the runner's files for outputs and the job summary.</summary>
    private static (CliResult Validate, CliResult Diff, string Outputs, string Summary) RunGitHubSteps(WorkTree tree)
    {
        tree.Git("checkout", "-q", "main");
        tree.Git("merge", "-q", "--no-ff", "pr", "-m", "Merge pull request");
        var environment = Map(Yaml("github-actions.yml"), "env").Children
            .Select(p => (Name: ((YamlScalarNode)p.Key).Value!, Value: ((YamlScalarNode)p.Value).Value!))
            .Where(p => !p.Value.Contains("${{", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value);
        environment["RUNNER_TEMP"] = Directory.CreateDirectory(Path.Combine(tree.Home, "runner-temp")).FullName;
        environment["GITHUB_OUTPUT"] = Path.Combine(tree.Home, "github-output");
        environment["GITHUB_STEP_SUMMARY"] = Path.Combine(tree.Home, "step-summary");
        File.WriteAllText(environment["GITHUB_OUTPUT"], "");
        File.WriteAllText(environment["GITHUB_STEP_SUMMARY"], "");
        var steps = GitHubSteps().ToDictionary(s => s.Name, s => s.Run);
        var validate = ProcessRun.Bash(tree.Path, tree.Home, environment, steps["Validate"]);
        var diff = ProcessRun.Bash(tree.Path, tree.Home, environment, steps["Diff"]);
        return (validate, diff, File.ReadAllText(environment["GITHUB_OUTPUT"]), File.ReadAllText(environment["GITHUB_STEP_SUMMARY"]));
    }

    [Fact]
    public void GitHub_ValidAndChangedPullRequest_CommentWithMarkerAndExit2Output()
    {
        var (tree, _, _) = PullRequest("gh-valid", Changed);

        var (validate, diff, outputs, summary) = RunGitHubSteps(tree);

        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("::add-matcher::", validate.Output, StringComparison.Ordinal);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Equal("exit=2\n", outputs);
        var comment = File.ReadAllText(Path.Combine(tree.Path, "reconciler-diff.md"));
        Assert.StartsWith(Marker + "\n### Reconciler diff `", comment, StringComparison.Ordinal);
        Assert.Contains("\n- **lb1**: 0 to add, 3 to change, 0 to destroy\n", comment, StringComparison.Ordinal);
        Assert.Contains("\n- ⚠️ VIP 192.168.1.122/32 moves from VRRP instance VI_1 to VI_2 (MASTER lb1 -> MASTER lb2)\n", comment, StringComparison.Ordinal);
        Assert.Equal(comment, summary);

        // The posting step finds its earlier comment by the first line of this file.
        var post = File.ReadAllText(RepositoryPaths.Examples("ci", "github-actions.yml"));
        Assert.Contains("const marker = body.split('\\n', 1)[0];", post, StringComparison.Ordinal);
        Assert.Contains("c.body.startsWith(marker + '\\n')", post, StringComparison.Ordinal);
    }

    [Fact]
    public void GitHub_InvalidPullRequest_ValidateFailsWithLinesTheProblemMatcherReadsAndDiffSaysExit1()
    {
        var (tree, _, _) = PullRequest("gh-invalid", Invalid);

        var (validate, diff, outputs, _) = RunGitHubSteps(tree);

        Assert.Equal(1, validate.ExitCode);
        var matcher = JsonDocument.Parse(File.ReadAllText(Path.Combine(tree.Home, "runner-temp", "reconciler-matcher.json")));
        var pattern = new Regex(matcher.RootElement.GetProperty("problemMatcher")[0].GetProperty("pattern")[0].GetProperty("regexp").GetString()!);
        var located = Assert.Single(validate.Output.Split('\n'), l => pattern.IsMatch(l));
        var match = pattern.Match(located);
        Assert.Equal(("topology/lb.yaml", "error"), (match.Groups[1].Value, match.Groups[4].Value));
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Equal("exit=1\n", outputs);
        var comment = File.ReadAllText(Path.Combine(tree.Path, "reconciler-diff.md"));
        Assert.Contains($"\n```text\n{located}\n```", comment, StringComparison.Ordinal);
        Assert.Contains("is invalid**: 1 error.", comment, StringComparison.Ordinal);
    }

    /// <summary>The GitLab job's script but the note (the items that call curl), as one bash script as the runner
    /// runs it, in a checkout of the merge request's head with GitLab's variables.</summary>
    private static CliResult RunGitLabScript(WorkTree tree, string @base, string head)
    {
        var job = GitLabJob();
        var environment = Map(job, "variables").Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);
        environment["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = @base;
        environment["CI_COMMIT_SHA"] = head;
        var script = string.Join('\n', Scalars(job, "script").Where(s => !s.Contains("curl", StringComparison.Ordinal)));
        return ProcessRun.Bash(tree.Path, tree.Home, environment, script);
    }

    [Fact]
    public void GitLab_ValidAndInvalidMergeRequests_NoteBodyAndJobOutcome()
    {
        var (valid, validBase, validHead) = PullRequest("gl-valid", Changed);
        var (invalid, invalidBase, invalidHead) = PullRequest("gl-invalid", Invalid);

        var passed = RunGitLabScript(valid, validBase, validHead);
        var failed = RunGitLabScript(invalid, invalidBase, invalidHead);

        Assert.True(passed.ExitCode == 0, passed.ToString());
        var comment = File.ReadAllText(Path.Combine(valid.Path, "reconciler-diff.md"));
        Assert.StartsWith(Marker + "\n", comment, StringComparison.Ordinal);
        Assert.Contains($"### Reconciler diff `{validBase[..12]}` → `{validHead[..12]}`", comment, StringComparison.Ordinal);
        Assert.Contains("\n- **lb2**: 0 to add, 3 to change, 0 to destroy\n", comment, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("The topology is invalid", failed.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n```text\ntopology/lb\.yaml:\d+:\d+: error: ", File.ReadAllText(Path.Combine(invalid.Path, "reconciler-diff.md")));
    }

    [Fact]
    public void GitLab_NoteLookup_JqFindsTheEarlierNoteByItsMarkerOnly()
    {
        var (tree, @base, head) = PullRequest("gl-notes", Changed);
        Assert.Equal(0, RunGitLabScript(tree, @base, head).ExitCode);
        var comment = File.ReadAllText(Path.Combine(tree.Path, "reconciler-diff.md"));
        File.WriteAllText(Path.Combine(tree.Home, "notes.json"), JsonSerializer.Serialize(new[]
        {
            new { id = 3, body = "Looks good to me" },
            new { id = 5, body = "<!-- reconciler-diff:other -->\n### Reconciler diff" },
            new { id = 7, body = comment },
        }));
        var post = Assert.Single(Scalars(GitLabJob(), "script"), s => s.Contains("curl", StringComparison.Ordinal));
        var lookup = Assert.Single(post.Split('\n'), l => l.TrimStart().StartsWith("note=$(", StringComparison.Ordinal)).Trim();
        var markerLine = Assert.Single(post.Split('\n'), l => l.TrimStart().StartsWith("marker=", StringComparison.Ordinal)).Trim();

        var found = ProcessRun.Bash(tree.Path, tree.Home, new Dictionary<string, string>(), $"notes=$(cat \"$HOME/notes.json\")\n{markerLine}\n{lookup}\necho \"$note\"");

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Equal("7\n", found.Output);
    }
}
