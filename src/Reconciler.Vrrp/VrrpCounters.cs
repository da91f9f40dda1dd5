namespace Reconciler.Vrrp;

/// <summary>
/// Per-router statistics (keepalived's <c>vrrp_stats</c>, in the spirit of the VRRP MIB). Written under the
/// router's lock, readable from any thread at any time (each value is read atomically; a set of values read
/// together is not a snapshot).
/// </summary>
public sealed class VrrpCounters
{
    private static readonly int ReasonCount = Enum.GetValues<VrrpDropReason>().Length;

    private readonly long[] _drops = new long[ReasonCount];
    private long _advertsSent;
    private long _advertsReceived;
    private long _priorityZeroSent;
    private long _priorityZeroReceived;
    private long _transitions;
    private long _becameMaster;
    private long _releasedMaster;
    private long _addressListErrors;
    private long _advertIntervalChanges;

    /// <summary>Adverts handed to the host to send (one per destination).</summary>
    public long AdvertsSent => Interlocked.Read(ref _advertsSent);

    /// <summary>Adverts that passed validation.</summary>
    public long AdvertsReceived => Interlocked.Read(ref _advertsReceived);

    /// <summary>Priority-0 adverts sent (stop, or FAULT from MASTER).</summary>
    public long PriorityZeroSent => Interlocked.Read(ref _priorityZeroSent);

    /// <summary>Valid priority-0 adverts received.</summary>
    public long PriorityZeroReceived => Interlocked.Read(ref _priorityZeroReceived);

    /// <summary>State changes of any kind.</summary>
    public long Transitions => Interlocked.Read(ref _transitions);

    /// <summary>Times this router became MASTER.</summary>
    public long BecameMaster => Interlocked.Read(ref _becameMaster);

    /// <summary>Times this router left MASTER.</summary>
    public long ReleasedMaster => Interlocked.Read(ref _releasedMaster);

    /// <summary>Adverts whose address count or list differed from ours (dropped or, from an owner, accepted); keepalived logs these.</summary>
    public long AddressListErrors => Interlocked.Read(ref _addressListErrors);

    /// <summary>v3: valid adverts whose interval differed from ours (accepted and learned; keepalived logs these).</summary>
    public long AdvertIntervalChanges => Interlocked.Read(ref _advertIntervalChanges);

    /// <summary>All drops, whatever the reason.</summary>
    public long TotalDropped
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _drops.Length; i++)
            {
                total += Interlocked.Read(ref _drops[i]);
            }

            return total;
        }
    }

    /// <summary>Drops for one reason.</summary>
    public long Dropped(VrrpDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    /// <summary>Every reason with its count (zero counts included).</summary>
    public IReadOnlyDictionary<VrrpDropReason, long> DropsByReason() =>
        Enum.GetValues<VrrpDropReason>().Where(r => r != VrrpDropReason.None).ToDictionary(r => r, Dropped);

    internal void CountDrop(VrrpDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void CountAdvertSent() => Interlocked.Increment(ref _advertsSent);

    internal void CountAdvertReceived() => Interlocked.Increment(ref _advertsReceived);

    internal void CountPriorityZeroSent() => Interlocked.Increment(ref _priorityZeroSent);

    internal void CountPriorityZeroReceived() => Interlocked.Increment(ref _priorityZeroReceived);

    internal void CountTransition() => Interlocked.Increment(ref _transitions);

    internal void CountBecameMaster() => Interlocked.Increment(ref _becameMaster);

    internal void CountReleasedMaster() => Interlocked.Increment(ref _releasedMaster);

    internal void CountAddressListError() => Interlocked.Increment(ref _addressListErrors);

    internal void CountAdvertIntervalChange() => Interlocked.Increment(ref _advertIntervalChanges);
}
