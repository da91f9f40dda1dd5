using System.Diagnostics;
using LibGit2Sharp;

namespace Reconciler.GitSource.Tests.Fixtures;

/// <summary>
/// A real bare repository written through libgit2's object database (no work tree): each commit takes the previous
/// tree, adds, replaces or removes files, and moves <c>refs/heads/main</c>.
/// </summary>
public sealed class TestRepository : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private int _clock;

    public TestRepository(string path)
    {
        Path = path;
        Repository.Init(path, isBare: true);
        Repository = new Repository(path);
        Repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
    }

    public string Path { get; }

    public Repository Repository { get; }

    public string FileUrl => "file://" + Path;

    public Commit? Tip => Repository.Refs["refs/heads/main"]?.ResolveToDirectReference()?.Target as Commit;

    public Commit Commit(string message, IReadOnlyDictionary<string, string?> files, string author = "Alice Admin", string branch = "main")
    {
        var parent = Repository.Refs["refs/heads/" + branch]?.ResolveToDirectReference()?.Target as Commit;
        var tree = parent is null ? new TreeDefinition() : TreeDefinition.From(parent.Tree);
        foreach (var (path, text) in files)
        {
            if (text is null)
            {
                tree.Remove(path);
            }
            else
            {
                var blob = Repository.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
                tree.Add(path, blob, Mode.NonExecutableFile);
            }
        }

        var when = Epoch.AddMinutes(_clock++);
        var signature = new Signature(author, author.Split(' ')[0].ToLowerInvariant() + "@example.org", when);
        var committer = new Signature("CI Bot", "ci@example.org", when);
        var commit = Repository.ObjectDatabase.CreateCommit(
            signature, committer, message + "\n", Repository.ObjectDatabase.CreateTree(tree), parent is null ? [] : [parent], prettifyMessage: false);
        Repository.Refs.UpdateTarget(Repository.Refs["refs/heads/" + branch] ?? Repository.Refs.Add("refs/heads/" + branch, commit.Id), commit.Id);
        return commit;
    }

    /// <summary>What <c>git push --force</c> does to the server: <paramref name="branch"/> now points at
    /// <paramref name="target"/>, whatever it pointed at before; the next <see cref="Commit(string, string, string?)"/>
    /// builds on it (a rewritten history).</summary>
    public void ForcePush(Commit target, string branch = "main") =>
        Repository.Refs.UpdateTarget(Repository.Refs["refs/heads/" + branch], target.Id);

    public Commit Commit(string message, string path, string? text) => Commit(message, new Dictionary<string, string?> { [path] = text });

    /// <summary>A commit made by the git CLI (for signing), on top of main.</summary>
    public string GitCommitTree(string message, IReadOnlyList<string> extraConfig, bool sign, IReadOnlyDictionary<string, string>? environment = null)
    {
        var tip = Tip!;
        var arguments = new List<string>();
        foreach (var config in extraConfig)
        {
            arguments.AddRange(["-c", config]);
        }

        arguments.AddRange(["-c", "user.name=Sam Signer", "-c", "user.email=sam@example.org", "commit-tree", tip.Tree.Sha, "-p", tip.Sha, "-m", message]);
        if (sign)
        {
            arguments.Add("-S");
        }

        var sha = Git.Run(Path, arguments, environment).Trim();
        Git.Run(Path, ["update-ref", "refs/heads/main", sha]);
        return sha;
    }

    public void Dispose() => Repository.Dispose();
}

internal static class Git
{
    public static string Run(string directory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = directory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
    }
}
