using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Scripts.Mail;

namespace Reconciler.Linux.Tests.Scripts.Mail;

/// <summary>The queue in front of the relay, with the send as a seam (the relay itself: <see cref="SmtpMailerTests"/>).</summary>
public sealed class MailAlerterTests
{
    private static readonly MailSettings Settings = new("relay", 25, "lb1@x.test", ["ops@x.test"], "lb1", TimeSpan.FromSeconds(5), "lb1", true, true);

    [Fact]
    public async Task Enqueue_WithoutSettings_SendsNothing()
    {
        var sent = new List<string>();
        await using (var alerter = new MailAlerter(NullLogger.Instance, send: (_, alert, _, _) => Record(sent, alert)))
        {
            alerter.Enqueue(new MailAlert("one", "b"));
        }

        Assert.Empty(sent);
    }

    [Fact]
    public async Task Enqueue_SendsInOrderWithTheSettingsOfTheMoment_AndCountsFailures()
    {
        var sent = new List<string>();
        var alerter = new MailAlerter(NullLogger.Instance, send: (settings, alert, _, _) =>
            alert.Subject == "refused" ? throw new MailException("RCPT: refused") : Record(sent, alert with { Subject = $"{alert.Subject} via {settings.Host}" }));
        alerter.Update(Settings);
        alerter.Enqueue(new MailAlert("one", "b"));
        alerter.Enqueue(new MailAlert("refused", "b"));
        alerter.Update(Settings with { Host = "other" });
        alerter.Enqueue(new MailAlert("two", "b"));
        alerter.Update(null);
        alerter.Enqueue(new MailAlert("three", "b"));

        await alerter.DisposeAsync();

        Assert.Equal(["one via relay", "two via other"], sent);
        Assert.Equal(2, alerter.Sent);
        Assert.Equal(1, alerter.Failed);
    }

    [Fact]
    public async Task Enqueue_BeyondCapacity_DropsAndCounts()
    {
        var release = new TaskCompletionSource();
        var alerter = new MailAlerter(NullLogger.Instance, send: (_, _, _, _) => release.Task);
        alerter.Update(Settings);

        // The worker takes one and waits on it; Capacity more fill the queue; the rest are dropped.
        for (var i = 0; i < MailAlerter.Capacity + 11; i++)
        {
            alerter.Enqueue(new MailAlert($"alert {i}", "b"));
        }

        release.SetResult();
        await alerter.DisposeAsync();

        Assert.InRange(alerter.Dropped, 10, 11); // 11 if the worker had not taken the first yet
        Assert.Equal(MailAlerter.Capacity + 11 - alerter.Dropped, alerter.Sent);
    }

    private static Task Record(List<string> sent, MailAlert alert)
    {
        lock (sent)
        {
            sent.Add(alert.Subject);
        }

        return Task.CompletedTask;
    }
}
