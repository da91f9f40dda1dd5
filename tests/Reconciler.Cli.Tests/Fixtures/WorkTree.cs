namespace Reconciler.Cli.Tests.Fixtures;

/// <summary>A real git work tree made with the git command line, as a CI checkout or a developer's clone is.</summary>
public sealed class WorkTree
{
    public WorkTree(string path, string home)
    {
        Path = path;
        Home = home;
        Directory.CreateDirectory(path);
        Git("init", "-q", "-b", "main");
    }

    public string Path { get; }

    /// <summary>HOME for every command run here (git's global config lives there).</summary>
    public string Home { get; }

    public void Write(string file, string text)
    {
        var path = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Writes, stages and commits <paramref name="file"/>; returns the new commit's sha.</summary>
    public string Commit(string message, string file, string text)
    {
        Write(file, text);
        Git("add", file);
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git; throws with its output when it fails.</summary>
    public string Git(params string[] args)
    {
        var result = TryGit(args);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {result}");
    }

    public CliResult TryGit(params string[] args) => ProcessRun.Run(Path, Home, null, "git", args);
}
