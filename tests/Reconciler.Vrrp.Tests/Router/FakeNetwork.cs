using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

/// <summary>
/// Several routers on one simulated multicast link with one fake clock. Sent adverts are queued and delivered
/// (TTL 255) to every other router after the sender's call returns, as a real link would.
/// </summary>
internal sealed class FakeNetwork
{
    private readonly List<(VrrpRouter Router, Host Host)> _routers = [];
    private readonly Queue<(VrrpRouter From, byte[] Message, IPAddress Destination)> _wire = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Host errors <paramref name="router"/> reported (only recorded while a hook is set; otherwise they throw).</summary>
    public IReadOnlyList<(string Operation, Exception Exception)> HostErrorsOf(VrrpRouter router) => _routers.Single(r => r.Router == router).Host.Errors;

    public VrrpRouter Add(VrrpRouterConfig config, VrrpSyncGroupCoordinator? syncGroup = null)
    {
        var host = new Host(this);
        var router = new VrrpRouter(config, host, Time, syncGroup);
        host.Router = router;
        _routers.Add((router, host));
        return router;
    }

    public void Run(TimeSpan duration)
    {
        var end = Time.GetUtcNow() + duration;
        Deliver();
        while (Time.GetUtcNow() < end)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1));
            Deliver();
        }
    }

    public DateTimeOffset TransitionTime(VrrpRouter router, VrrpState to) =>
        _routers.Single(r => r.Router == router).Host.Transitions.Last(t => t.Transition.To == to).At;

    /// <summary>Every transition <paramref name="router"/> reported, in order.</summary>
    public IReadOnlyList<VrrpTransition> TransitionsOf(VrrpRouter router) =>
        _routers.Single(r => r.Router == router).Host.Transitions.Select(t => t.Transition).ToList();

    /// <summary>Adverts <paramref name="router"/> sent, by priority, in order.</summary>
    public IReadOnlyList<byte> AdvertPrioritiesOf(VrrpRouter router) => _routers.Single(r => r.Router == router).Host.SentPriorities;

    /// <summary>Runs <paramref name="action"/> inside every later host call of <paramref name="router"/> (to test re-entry).</summary>
    public void HookTransitions(VrrpRouter router, Action<VrrpTransition> action) => _routers.Single(r => r.Router == router).Host.Hook = action;

    private void Deliver()
    {
        while (_wire.TryDequeue(out var packet))
        {
            foreach (var (router, _) in _routers.Where(r => r.Router != packet.From))
            {
                router.ReceiveAdvert(packet.Message, new VrrpPacketInfo(packet.From.Config.PrimaryAddress, packet.Destination, 255));
            }
        }
    }

    private sealed class Host(FakeNetwork network) : IVrrpRouterHost
    {
        public VrrpRouter? Router { get; set; }

        public List<(DateTimeOffset At, VrrpTransition Transition)> Transitions { get; } = [];

        public List<byte> SentPriorities { get; } = [];

        public Action<VrrpTransition>? Hook { get; set; }

        public List<(string Operation, Exception Exception)> Errors { get; } = [];

        public void SendAdvert(ReadOnlySpan<byte> message, IPAddress destination)
        {
            network._wire.Enqueue((Router!, message.ToArray(), destination));
            SentPriorities.Add(message[2]);
        }

        public void AddVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
        {
        }

        public void RemoveVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
        {
        }

        public void SendGratuitousAnnouncements(IReadOnlyList<InterfaceAddress> addresses, int count)
        {
        }

        public void OnTransition(VrrpTransition transition)
        {
            Transitions.Add((network.Time.GetUtcNow(), transition));
            Hook?.Invoke(transition);
        }

        public void OnHostError(string operation, Exception exception)
        {
            if (Hook is null)
            {
                throw new InvalidOperationException(operation, exception);
            }

            Errors.Add((operation, exception));
        }
    }
}
