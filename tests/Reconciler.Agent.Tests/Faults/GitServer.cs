using System.Diagnostics;
using Reconciler.Testing.Git;

namespace Reconciler.Agent.Tests.Faults;

/// <summary>
/// A real topology repository served by the shared <see cref="GitDaemon"/> fixture (a real <c>git daemon</c> on
/// 127.0.0.1 at a free port, killed and restarted by its PID), and a working clone the test commits and pushes from
/// with the git CLI, as an operator would.
/// </summary>
internal sealed class GitServer : IDisposable
{
    private const string Repository = "topology.git";
    private readonly string _served;

    public GitServer(string root)
    {
        _served = System.IO.Path.Combine(root, "served");
        WorkTree = System.IO.Path.Combine(root, "work");
        Directory.CreateDirectory(_served);
        Directory.CreateDirectory(WorkTree);
        Git(_served, "init", "--bare", "--initial-branch=main", Repository);
        Git(WorkTree, "init", "--initial-branch=main");
        Git(WorkTree, "remote", "add", "origin", System.IO.Path.Combine(_served, Repository));
        Daemon = new GitDaemon(_served);
    }

    /// <summary>The daemon serving the repository: <see cref="GitDaemon.Stop"/> takes the server away,
    /// <see cref="GitDaemon.Start"/> brings it back on the same port.</summary>
    public GitDaemon Daemon { get; }

    public string WorkTree { get; }

    public string Url => Daemon.UrlOf(Repository);

    /// <summary>Writes topology/lb.yaml, commits it and pushes main; returns the commit's sha.</summary>
    public string Push(string subject, string yaml)
    {
        WriteTopology(yaml);
        Git(WorkTree, "commit", "-q", "-m", subject);
        Git(WorkTree, "push", "-q", "origin", "main");
        return Head();
    }

    /// <summary>Rewrites history: main becomes a new root commit holding only <paramref name="yaml"/>, force-pushed.</summary>
    public string ForcePushNewRoot(string subject, string yaml)
    {
        Git(WorkTree, "checkout", "-q", "--orphan", "rewrite");
        Git(WorkTree, "rm", "-q", "-r", "--cached", ".");
        WriteTopology(yaml);
        Git(WorkTree, "commit", "-q", "-m", subject);
        Git(WorkTree, "branch", "-q", "-M", "main");
        Git(WorkTree, "push", "-q", "--force", "origin", "main");
        return Head();
    }

    public string Head() => Git(WorkTree, "rev-parse", "HEAD").Trim();

    /// <summary>True when <paramref name="ancestor"/> is reachable from main on the server.</summary>
    public bool ServerHasInHistory(string ancestor)
    {
        try
        {
            Git(System.IO.Path.Combine(_served, Repository), "merge-base", "--is-ancestor", ancestor, "main");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => Daemon.Dispose();

    private void WriteTopology(string yaml)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(WorkTree, "topology"));
        File.WriteAllText(System.IO.Path.Combine(WorkTree, "topology", "lb.yaml"), yaml);
        Git(WorkTree, "add", "topology/lb.yaml");
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_AUTHOR_NAME"] = "Alice Operator";
        start.Environment["GIT_AUTHOR_EMAIL"] = "alice@example.com";
        start.Environment["GIT_COMMITTER_NAME"] = "Alice Operator";
        start.Environment["GIT_COMMITTER_EMAIL"] = "alice@example.com";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error.Result}");
    }
}
