using System.Text.Json;
using Reconciler.Ipvs;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Plans;

public sealed class PlanRenderingTests
{
    private static readonly ServiceKey Web = Tcp("192.168.1.120");

    private static Plan SamplePlan()
    {
        var applied = Live(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 5));
        var live = Live(Service(Web), Destination("192.168.1.103", weight: 7), Destination("192.168.1.104", weight: 5));
        var foreign = Live(Service(Tcp("10.9.9.9", 8080), "rr"), Destination("10.0.0.7", 8080));
        var desired = State(
            Wanted(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 3)),
            Wanted(Service(Tcp("192.168.1.121", 443), "rr", persistence: 300), Destination("192.168.1.105", 443)));
        var record = new OwnershipRecord([new OwnedService(applied.Service, applied.Destinations.Select(d => new OwnedDestination(d.Destination)).ToList())], []);
        return Planner.Create(desired, Kernel(live, foreign), record, Options);
    }

    [Fact]
    public void Render_WithoutColor_ReadsLikeTerraform()
    {
        var text = PlanTextRenderer.Render(SamplePlan(), color: false);

        Assert.Equal(
            """
            Reconciler will perform the following actions on node lb1:

              + service svc-443 (TCP 192.168.1.121:443)
                  scheduler rr, persistent 300s netmask 255.255.255.255
              ~ real server 192.168.1.103:80 of svc-80 (TCP 192.168.1.120:80) [drift]
                  ~ weight: 7 -> 1
                  (changed outside reconciler)
              ~ real server 192.168.1.104:80 of svc-80 (TCP 192.168.1.120:80)
                  ~ weight: 5 -> 3
              + real server 192.168.1.105:443 of svc-443 (TCP 192.168.1.121:443)
                  dr, weight 1

            Unmanaged (not in the topology, not applied by reconciler; left alone):
              TCP 10.9.9.9:8080 with 1 real server

            Plan: 2 to add, 2 to change, 0 to destroy. 1 of them repair drift.

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Render_WithColor_PaintsSymbols()
    {
        var text = PlanTextRenderer.Render(SamplePlan(), color: true);

        Assert.Contains("\u001b[32m+\u001b[0m service svc-443", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[33m~\u001b[0m real server 192.168.1.104:80", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrip_GivesTheSamePlan()
    {
        var plan = SamplePlan();

        var json = JsonSerializer.Serialize(plan, PlanningJson.Options);
        var back = JsonSerializer.Deserialize<Plan>(json, PlanningJson.Options)!;

        Assert.Equal(JsonSerializer.Serialize(back, PlanningJson.Options), json);
        Assert.Equal(plan.Steps.Count, back.Steps.Count);
        Assert.Equal(plan.Steps.Select(s => s.Target), back.Steps.Select(s => s.Target));
        Assert.Equal(plan.ObservedFingerprint, back.ObservedFingerprint);
        Assert.Contains("\"kind\": \"realServer\"", json, StringComparison.Ordinal);
        Assert.Contains("\"key\": {\n        \"family\": \"ipv4\",\n        \"protocol\": \"tcp\",\n        \"address\": \"192.168.1.121\",\n        \"port\": 443\n      }", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
