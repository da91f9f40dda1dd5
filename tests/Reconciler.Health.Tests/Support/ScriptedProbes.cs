using System.Collections.Concurrent;
using Reconciler.Health.Probes;

namespace Reconciler.Health.Tests.Support;

/// <summary>Probes whose answers the test sets per real server endpoint; they answer synchronously (so a
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> advance runs a whole attempt) and count.</summary>
internal sealed class ScriptedProbes : IHealthProbeFactory
{
    private readonly ConcurrentDictionary<string, ProbeBehavior> _behaviors = new();

    public ProbeBehavior this[string endpoint] => _behaviors.GetOrAdd(endpoint, e => new ProbeBehavior(e));

    public int TotalCalls => _behaviors.Values.Sum(b => b.Calls);

    public IHealthProbe Create(HealthCheckTarget target)
    {
        var behavior = this[target.Endpoint];
        Interlocked.Increment(ref behavior.Created);
        return new ScriptedProbe(behavior, target.Check.ConnectTimeout);
    }

    private sealed class ScriptedProbe(ProbeBehavior behavior, TimeSpan timeout) : IHealthProbe
    {
        public TimeSpan Timeout { get; } = timeout;

        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref behavior.Calls);
            if (behavior.Answer is { } answer)
            {
                return new ValueTask<ProbeResult>(answer); // held until the test gives it
            }

            if (behavior.Hang)
            {
                // Ignores cancellation on purpose: a badly written probe.
                return new ValueTask<ProbeResult>(new TaskCompletionSource<ProbeResult>().Task);
            }

            return new ValueTask<ProbeResult>(behavior.Healthy
                ? ProbeResult.Pass($"tcp connect {behavior.Endpoint} ok", behavior.DynamicWeight)
                : ProbeResult.Fail($"tcp connect {behavior.Endpoint} refused"));
        }
    }
}

internal sealed class ProbeBehavior(string endpoint)
{
    public string Endpoint { get; } = endpoint;

    public volatile bool Healthy = true;
    public volatile bool Hang;

    /// <summary>When set, the next probes answer with this task's result, when the test completes it.</summary>
    public volatile Task<ProbeResult>? Answer;
    public int? DynamicWeight;
    public int Calls;
    public int Created;
}
