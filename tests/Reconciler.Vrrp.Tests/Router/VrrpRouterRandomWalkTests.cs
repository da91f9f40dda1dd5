namespace Reconciler.Vrrp.Tests.Router;

/// <summary>
/// Seeded random walks over every input (time, adverts of any priority and source, check and interface changes,
/// stop) checking invariants that must hold whatever happens.
/// </summary>
public sealed class VrrpRouterRandomWalkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomInputs_KeepTheInvariants(int seed)
    {
        var random = new Random(seed);
        var config = (seed % 2 == 0 ? RouterFixture.V2(random.Next(1, 256)) : RouterFixture.V3(random.Next(1, 256))) with
        {
            Preempt = random.Next(3) != 0,
            PreemptDelay = TimeSpan.FromSeconds(random.Next(0, 3) * 5),
            TrackedChecks = [new VrrpTrackedCheck("hard", 0), new VrrpTrackedCheck("soft", random.Next(-100, 100))],
            TrackedInterfaces = [new VrrpTrackedInterface("uplink", random.Next(-50, 50))],
        };
        using var f = new RouterFixture(config);
        f.Router.SetCheckState("hard", true);
        f.Router.Start();

        for (var step = 0; step < 3000 && f.Router.State != VrrpState.Stopped; step++)
        {
            switch (random.Next(100))
            {
                case < 50:
                    f.Time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 1500)));
                    break;
                case < 80:
                    f.Receive(random.Next(0, 256), random.Next(2) == 0 ? RouterFixture.PeerLow4 : RouterFixture.PeerHigh4);
                    break;
                case < 88:
                    f.Router.SetCheckState(random.Next(2) == 0 ? "hard" : "soft", random.Next(3) != 0);
                    break;
                case < 95:
                    f.Router.SetInterfaceState(random.Next(2) == 0 ? "uplink" : "eth0", random.Next(4) != 0);
                    break;
                case < 96:
                    f.Router.Stop();
                    break;
                default:
                    f.Time.Advance(TimeSpan.FromSeconds(10));
                    break;
            }

            CheckInvariants(f);
        }

        f.Router.Stop();
        CheckInvariants(f);
        Assert.Empty(f.Host.Errors);
    }

    private static void CheckInvariants(RouterFixture f)
    {
        var state = VrrpState.Initialize;
        var addressesPresent = false;
        var masterships = 0;
        var events = f.Host.Events;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            switch (e.Kind)
            {
                case "transition":
                    var t = e.Transition!.Value;
                    Assert.Equal(state, t.From);
                    Assert.NotEqual(t.From, t.To);
                    Assert.Equal(t.To == VrrpState.Master, addressesPresent);
                    state = t.To;
                    masterships += t.To == VrrpState.Master ? 1 : 0;
                    break;
                case "add":
                    Assert.False(addressesPresent);
                    addressesPresent = true;
                    break;
                case "remove":
                    // Leaving MASTER, or the clean-up of addresses left from before on the way into BACKUP (the
                    // router is their one writer: a BACKUP never holds them).
                    var following = events.Skip(i + 1).FirstOrDefault(n => n.Kind == "transition")?.Transition;
                    Assert.True(addressesPresent || following is { To: VrrpState.Backup } cleanup && cleanup.From != VrrpState.Master,
                        $"addresses removed at {e.At} while not present, and not on the way into BACKUP");
                    addressesPresent = false;
                    break;
                case "garp":
                    Assert.True(addressesPresent);
                    break;
                case "advert":
                    // Priority 0 only when leaving MASTER (the addresses go next); any other advert only as MASTER
                    // or when becoming MASTER (the addresses come next).
                    var next = events.Skip(i + 1).FirstOrDefault(n => n.Kind != "advert")?.Kind;
                    if (e.Advert!.Priority == 0)
                    {
                        Assert.True(state == VrrpState.Master && next == "remove", $"priority 0 at {e.At} in {state}");
                    }
                    else
                    {
                        Assert.True(state == VrrpState.Master || next == "add", $"advert at {e.At} in {state}");
                        Assert.Equal(f.Router.Config.IsAddressOwner ? 255 : e.Advert.Priority, e.Advert.Priority);
                    }

                    break;
            }
        }

        Assert.Equal(state == VrrpState.Master, addressesPresent);
        Assert.Equal(f.Router.State == VrrpState.Initialize ? VrrpState.Initialize : f.Router.State, state);
        Assert.Equal(masterships, f.Router.Counters.BecameMaster);
        Assert.InRange(f.Router.EffectivePriority, 1, 255);
        Assert.Equal(f.Router.State == VrrpState.Backup, f.Router.MasterDownDeadline is not null);
    }
}
