using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Hosting;

namespace Reconciler.Agent.Tests.Hosting;

public sealed class LoopLivenessTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void WhyNotAlive_IdleForHours_Alive()
    {
        var liveness = new LoopLiveness(_time, TimeSpan.FromMinutes(5));
        liveness.Idle("reconcile");

        _time.Advance(TimeSpan.FromHours(3));

        Assert.Null(liveness.WhyNotAlive());
    }

    [Fact]
    public void WhyNotAlive_BusyPastTheBound_Stuck()
    {
        var liveness = new LoopLiveness(_time, TimeSpan.FromMinutes(5));
        liveness.Busy("poll");
        _time.Advance(TimeSpan.FromMinutes(5));
        var withinBound = liveness.WhyNotAlive();

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(withinBound);
        Assert.Equal("the poll loop is stuck: one unit of work has run for 5m1s (the bound is 5m)", liveness.WhyNotAlive());
    }

    [Fact]
    public void WhyNotAlive_LoopEnded_Dead()
    {
        var liveness = new LoopLiveness(_time, TimeSpan.FromMinutes(5));
        liveness.Idle("poll");

        liveness.Ended("reconcile");

        Assert.Equal("the reconcile loop has ended", liveness.WhyNotAlive());
    }
}

public sealed class SystemdWatchdogTargetTests
{
    [Fact]
    public void FromEnvironment_SocketAndUsec_PingsAtHalfTheInterval()
    {
        var target = SystemdWatchdog.FromEnvironment(name => name switch { "NOTIFY_SOCKET" => "/run/systemd/notify", "WATCHDOG_USEC" => "60000000", _ => null });

        Assert.Equal(new SystemdWatchdog.Target("/run/systemd/notify", TimeSpan.FromSeconds(30)), target);
    }

    [Fact]
    public void FromEnvironment_WatchdogForAnotherProcess_None()
    {
        var target = SystemdWatchdog.FromEnvironment(name => name switch
        {
            "NOTIFY_SOCKET" => "/run/systemd/notify",
            "WATCHDOG_USEC" => "60000000",
            "WATCHDOG_PID" => "1",
            _ => null,
        });

        Assert.Null(target);
    }
}
