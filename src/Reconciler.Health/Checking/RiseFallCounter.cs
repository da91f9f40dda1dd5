namespace Reconciler.Health.Checking;

/// <summary>
/// The deciding half of a check (pure, no time): consecutive attempt results against rise and fall.
/// An up server goes down after <c>fall</c> consecutive failed attempts, a down one comes up after <c>rise</c>
/// consecutive good ones. Until the first result arrives the state is <em>unconfirmed</em>: the first result
/// that contradicts it is decisive on its own (HAProxy's <c>init-state up</c> / <c>down</c>), so a dead server is
/// not kept in service for <c>fall</c> intervals after start, and a restart does not pull a live one.
/// </summary>
public sealed class RiseFallCounter
{
    private readonly int _rise;
    private readonly int _fall;

    public RiseFallCounter(int rise, int fall, bool up, bool confirmed)
    {
        _rise = Math.Max(1, rise);
        _fall = Math.Max(1, fall);
        IsUp = up;
        IsConfirmed = confirmed;
    }

    public bool IsUp { get; private set; }

    /// <summary>Whether any result has been seen (a state carried over from a replaced check counts).</summary>
    public bool IsConfirmed { get; private set; }

    /// <summary>Consecutive good attempts, up to and including the last one.</summary>
    public int Successes { get; private set; }

    /// <summary>Consecutive failed attempts, up to and including the last one.</summary>
    public int Failures { get; private set; }

    /// <summary>Down from now on, as if <c>fall</c> attempts had just failed: <c>rise</c> good ones bring it back.</summary>
    public void ForceDown()
    {
        IsUp = false;
        IsConfirmed = true;
        Successes = 0;
        Failures = 0;
    }

    /// <summary>Records one attempt; true when the state changed.</summary>
    public bool Record(bool healthy)
    {
        var firstResult = !IsConfirmed;
        IsConfirmed = true;
        if (healthy)
        {
            Successes++;
            Failures = 0;
            if (!IsUp && (firstResult || Successes >= _rise))
            {
                IsUp = true;
                return true;
            }
        }
        else
        {
            Failures++;
            Successes = 0;
            if (IsUp && (firstResult || Failures >= _fall))
            {
                IsUp = false;
                return true;
            }
        }

        return false;
    }
}
