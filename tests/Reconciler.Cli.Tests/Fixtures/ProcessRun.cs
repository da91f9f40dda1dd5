using System.Diagnostics;

namespace Reconciler.Cli.Tests.Fixtures;

/// <summary>
/// Runs a real program (git, bash, the built <c>reconciler</c>) in a folder with a controlled environment: HOME is
/// the given folder (git's global config there, never the host's), no system git config, a fixed author, and the
/// test's own <c>reconciler</c> first on PATH.
/// </summary>
public static class ProcessRun
{
    /// <summary>The executable the build puts beside the tests (the CLI's apphost).</summary>
    public static string Reconciler { get; } = Path.Combine(AppContext.BaseDirectory, "reconciler");

    public static CliResult Run(string directory, string home, IReadOnlyDictionary<string, string>? environment, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Alice Admin";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "alice@example.org";
        start.Environment["PATH"] = AppContext.BaseDirectory.TrimEnd('/') + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment.Remove("RECONCILER");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CliResult(process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    /// <summary>A script as GitHub Actions and GitLab run one with bash: <c>bash --noprofile --norc -eo pipefail</c>.</summary>
    public static CliResult Bash(string directory, string home, IReadOnlyDictionary<string, string> environment, string script)
    {
        var file = Path.Combine(home, $"step-{Guid.NewGuid():N}.sh");
        File.WriteAllText(file, script);
        return Run(directory, home, environment, "bash", "--noprofile", "--norc", "-eo", "pipefail", file);
    }
}
