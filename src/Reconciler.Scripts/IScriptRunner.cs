namespace Reconciler.Scripts;

/// <summary>
/// The one way the agent runs a command named by the topology (exec health checks, VRRP tracked scripts, notify
/// hooks): as the configured unprivileged user, with a minimal environment, bounded output, a timeout that kills the
/// command's process group, a cap on how many run at once, and never a command a non-root user could have written.
/// Never throws for what the command does; a refusal or failure is a <see cref="ScriptResult"/>.
/// </summary>
public interface IScriptRunner
{
    ValueTask<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken);
}
