using Reconciler.Agent.Engine;
using Reconciler.GitSource.Source;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>A topology source that answers polls from a script; once the script is done, every poll is
/// <see cref="PollResult.Unchanged"/> with the last status.</summary>
internal sealed class ScriptedTopologyFeed(params PollResult[] script) : ITopologyFeed
{
    private readonly Queue<PollResult> _script = new(script);

    public SourceStatus Status { get; private set; } = new(SourceCondition.Reconciling, null, null, null, null, null);

    public int Polls { get; private set; }

    public bool Disposed { get; private set; }

    public void Enqueue(PollResult result) => _script.Enqueue(result);

    /// <summary>What <see cref="RestoreAsync"/> gives: the last good revision kept from before a restart.</summary>
    public GoodRevision? Kept { get; set; }

    public Task<GoodRevision?> RestoreAsync(CancellationToken cancellationToken) => Task.FromResult(Kept);

    public Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Polls++;
        var result = _script.TryDequeue(out var next) ? next : new PollResult.Unchanged(Status);
        Status = result.Status;
        return Task.FromResult(result);
    }

    public void Dispose() => Disposed = true;
}
