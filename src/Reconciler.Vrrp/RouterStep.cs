namespace Reconciler.Vrrp;

/// <summary>
/// Marks a router step in progress (a public call or a timer expiry, under the router's lock), shared by every member
/// of a sync group: a host callback that calls back into any router of the step gets an
/// <see cref="InvalidOperationException"/> instead of re-entering a state machine half-way through a transition.
/// </summary>
internal sealed class RouterStep
{
    public bool Busy { get; private set; }

    public Scope Enter()
    {
        if (Busy)
        {
            throw new InvalidOperationException("VrrpRouter was called from inside one of its own host callbacks; queue the call instead.");
        }

        Busy = true;
        return new Scope(this);
    }

    public readonly struct Scope(RouterStep step) : IDisposable
    {
        public void Dispose() => step.Busy = false;
    }
}
