namespace Reconciler.Scripts;

/// <summary>Runs nothing: what a component gets when its host gave it no <see cref="IScriptRunner"/> (every result
/// says so), so a command from the topology never runs outside the agent's policy.</summary>
public sealed class NoScriptRunner : IScriptRunner
{
    public static NoScriptRunner Instance { get; } = new();

    public ValueTask<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ScriptResult.NotStarted("no script runner was configured (commands from the topology run only under the agent's script policy)"));
}
