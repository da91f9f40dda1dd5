namespace Reconciler.Scripts;

/// <summary>One run of a command: no shell, <see cref="Command"/>[0] is the program (an absolute path, or a name
/// looked up in <see cref="ScriptPolicy.SearchPath"/>), the rest its arguments.</summary>
/// <param name="Timeout">From the start of the request (waiting for a free slot included) to the kill.</param>
public sealed record ScriptRequest(IReadOnlyList<string> Command, TimeSpan Timeout)
{
    /// <summary>Variables the command is meant to see (an exec check's target), on top of the minimal environment.
    /// Nothing of the agent's own environment is passed on.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>exec /usr/local/bin/check --flag</c>, for messages.</summary>
    public string Describe() => string.Join(' ', Command);
}
