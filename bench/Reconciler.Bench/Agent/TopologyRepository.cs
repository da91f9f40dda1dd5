using Reconciler.Bench.Lab;

namespace Reconciler.Bench.Agent;

/// <summary>
/// The topology in git as the agent follows it: a bare repository (branch main, one file <c>topology.yaml</c>) with a
/// working clone beside it to commit and push from, served over <c>git://</c> by <c>git daemon</c> on 127.0.0.1 inside
/// a node's namespace.
/// </summary>
internal sealed class TopologyRepository
{
    private readonly string _checkout;

    public TopologyRepository(string directory)
    {
        Base = Path.Combine(directory, "git");
        Bare = Path.Combine(Base, "topology.git");
        _checkout = Path.Combine(directory, "checkout");
        Shell.Run("git", null, "init", "-q", "--bare", "-b", "main", Bare);
        Shell.Run("git", null, "clone", "-q", Bare, _checkout);
    }

    public string Base { get; }

    public string Bare { get; }

    public static string Url => "git://127.0.0.1/topology.git";

    /// <summary>Writes the topology, commits and pushes it; returns the wall time of commit + push.</summary>
    public double Commit(string topology, string message)
    {
        File.WriteAllText(Path.Combine(_checkout, "topology.yaml"), topology);
        var seconds = Git("add", "topology.yaml");
        seconds += Git("-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", message);
        seconds += Git("push", "-q", "origin", "HEAD:refs/heads/main");
        return seconds;
    }

    /// <summary>Starts <c>git daemon</c> on 127.0.0.1:9418 in <paramref name="space"/> and waits until it answers.</summary>
    public LabProcess Serve(LabNamespace space, string log)
    {
        var daemon = LabProcess.StartIn(space.Name, log, "git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=9418",
            "--base-path=" + Base, "--export-all", Base);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Shell.TryRun("ip", null, "netns", "exec", space.Name, "git", "ls-remote", Url).Exit != 0)
        {
            daemon.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("git daemon did not answer within 60 s");
            }

            Thread.Sleep(200);
        }

        return daemon;
    }

    private double Git(params string[] arguments) => Shell.Run("git", null, ["-C", _checkout, .. arguments]).Seconds;
}
