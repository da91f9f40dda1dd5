using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Keepalived.Tests;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.Cli.Tests.Examples;

/// <summary>examples/ci/pre-commit installed in a real repository and run by <c>git commit</c>, with the built
/// reconciler on PATH (git sends a hook's output to its standard error).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PreCommitHookTests : IDisposable
{
    private static readonly string Invalid = Edit(Samples.Seed, ("        weight: 5", "        weight: 70000"));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private WorkTree Clone(string name)
    {
        var tree = new WorkTree(_temp.Sub(name), _temp.Sub(name + "-home"));
        var hook = Path.Combine(tree.Path, ".git", "hooks", "pre-commit");
        File.Copy(RepositoryPaths.Examples("ci", "pre-commit"), hook);
        File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.UserExecute);
        return tree;
    }

    private static CliResult Commit(WorkTree tree, string message, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRun.Run(tree.Path, tree.Home, environment, "git", "commit", "-q", "-m", message);

    private static int Commits(WorkTree tree) => tree.Git("rev-list", "--all").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void Commit_ValidTopologyCommits_InvalidOneIsRefusedWithItsLocation()
    {
        var tree = Clone("valid-invalid");
        tree.Write("topology/lb.yaml", Samples.Seed);
        tree.Git("add", ".");

        var valid = Commit(tree, "Seed");

        Assert.True(valid.ExitCode == 0, valid.ToString());
        tree.Write("topology/lb.yaml", Invalid);
        tree.Git("add", ".");
        var refused = Commit(tree, "Weight out of range");
        Assert.Equal(1, refused.ExitCode);
        var line = Invalid.Split('\n').ToList().FindIndex(l => l.EndsWith("weight: 70000", StringComparison.Ordinal)) + 1;
        Assert.Contains($"topology/lb.yaml:{line}:17: error: services[0].realServers[1].weight: 70000 is greater than the maximum 65535", refused.Error, StringComparison.Ordinal);
        Assert.Contains("pre-commit: the topology in topology does not validate: commit refused", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, Commits(tree));

        var missing = Commit(tree, "Without reconciler", new Dictionary<string, string> { ["RECONCILER"] = "/nonexistent/reconciler" });
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'/nonexistent/reconciler' not found", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_WhatIsStagedCounts_NotTheWorkTree_AndCommitsWithoutTopologyAreNotChecked()
    {
        var tree = Clone("index");
        tree.Git("config", "reconciler.path", "lb");
        tree.Write("lb/topology.yaml", Samples.Seed);
        tree.Git("add", ".");
        Assert.Equal(0, Commit(tree, "Seed").ExitCode);

        // Invalid staged, valid in the work tree: refused.
        tree.Write("lb/topology.yaml", Invalid);
        tree.Git("add", ".");
        tree.Write("lb/topology.yaml", Samples.Seed);
        var refused = Commit(tree, "Invalid staged");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("lb/topology.yaml:", refused.Error, StringComparison.Ordinal);

        // Valid staged, invalid in the work tree: committed.
        tree.Write("lb/topology.yaml", Edit(Samples.Seed, Weight));
        tree.Git("add", ".");
        tree.Write("lb/topology.yaml", Invalid);
        var staged = Commit(tree, "Weight 10");
        Assert.True(staged.ExitCode == 0, staged.ToString());

        // Only a README in the commit (the invalid topology stays unstaged): not checked.
        tree.Write("README.md", "Directors of site A\n");
        tree.Git("add", "README.md");
        var other = Commit(tree, "README");
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.DoesNotContain("valid", other.Error, StringComparison.Ordinal);
        Assert.Equal(3, Commits(tree));
    }
}
