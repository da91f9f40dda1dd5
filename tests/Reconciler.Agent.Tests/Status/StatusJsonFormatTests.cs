using System.Net;
using System.Text.Json;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Status;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Hosting;

namespace Reconciler.Agent.Tests.Status;

/// <summary>
/// The exact text of the endpoint's answers (<c>/status</c>, <c>POST /reconcile</c>, the text of the 404s), which
/// <c>reconciler status</c>, monitoring and scripts read: a change of serializer must not change a byte.
/// </summary>
public sealed class StatusJsonFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 13, 2, 0, 125, TimeSpan.Zero);

    private static AgentStatus Representative() => new(
        "lb1",
        Now.AddHours(-1),
        Now,
        new SourceView("https://git.example.com/lb/topology.git", "main", "Ready", new CommitView("0123456789abcdef", "Add <web> & \"api\" → ü", "Alice <alice@example.com>", Now.AddDays(-1)), null, [], null, Now.AddSeconds(30)),
        new ReconcileView(Now.AddSeconds(-5), ["commit 0123456789ab"], 12.5, null, 3, 0, 1, "applied"),
        [
            new VrrpView("VI_1", "eth0", 51, 3, "MASTER", "Master", 100, 90, null, null, null, 12, 300, 2,
                new Dictionary<string, long> { ["auth"] = 2 }, new Dictionary<string, bool?> { ["chk_web"] = true, ["chk_db"] = null }),
        ],
        [
            new ServiceView("web", "TCP 10.0.0.100:80", "VI_1", InKernel: true, null,
                [new RealServerView("10.0.1.1:8080", 5, null, 0, "DOWN", "connection refused", Now.AddSeconds(-30)) { ActiveConnections = 0, InactiveConnections = 7 }]),
        ],
        [new ErrorView(Now.AddSeconds(-10), "git", "timeout")])
    {
        Events = [new EventView(Now.AddSeconds(-10), "error", "git: timeout"), new EventView(Now.AddSeconds(-30), "health", "web 10.0.1.1:8080 ServerDown: connection refused")],
    };

    private static void Same(string expected, string actual) => Assert.Equal(expected, actual);

    [Fact]
    public void Status_Json_IsExactlyTheDocumentedForm_AndReadsBack()
    {
        var json = JsonSerializer.Serialize(Representative(), AgentHost.StatusJson);

        Same(StatusJson, json);
        var read = JsonSerializer.Deserialize<AgentStatus>(json, AgentHost.StatusJson)!;
        Assert.Equal(json, JsonSerializer.Serialize(read, AgentHost.StatusJson));
    }

    [Fact]
    public async Task Endpoint_Answers_AreExactlyTheDocumentedForms()
    {
        await using var agent = await HostedAgent.StartAsync(new ControlledFeed());
        var cancel = TestContext.Current.CancellationToken;

        using var reconcile = await agent.Http.PostAsync(new Uri("reconcile", UriKind.Relative), null, cancel);
        using var overlay = await agent.Http.GetAsync(new Uri("overlay", UriKind.Relative), cancel);
        using var plan = await agent.Http.GetAsync(new Uri("plan", UriKind.Relative), cancel);
        using var status = await agent.Http.GetAsync(new Uri("status", UriKind.Relative), cancel);
        using var healthz = await agent.Http.GetAsync(new Uri("healthz", UriKind.Relative), cancel);

        Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        Assert.Equal("application/json; charset=utf-8", reconcile.Content.Headers.ContentType?.ToString());
        Same("{\n  \"queued\": true\n}", await reconcile.Content.ReadAsStringAsync(cancel));
        Assert.Equal((HttpStatusCode.NotFound, "no topology in force yet\n"), (overlay.StatusCode, await overlay.Content.ReadAsStringAsync(cancel)));
        Assert.Equal((HttpStatusCode.NotFound, "no plan executed yet\n"), (plan.StatusCode, await plan.Content.ReadAsStringAsync(cancel)));
        Assert.Equal("text/plain", overlay.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("application/json; charset=utf-8", status.Content.Headers.ContentType?.ToString());
        var body = await status.Content.ReadAsStringAsync(cancel);
        var read = JsonSerializer.Deserialize<AgentStatus>(body, AgentHost.StatusJson)!;
        Assert.Equal("lb1", read.Node);
        Assert.Equal(body, JsonSerializer.Serialize(read, AgentHost.StatusJson));
        Assert.Equal((HttpStatusCode.OK, "ok\n"), (healthz.StatusCode, await healthz.Content.ReadAsStringAsync(cancel)));
    }

    private const string StatusJson = """
        {
          "node": "lb1",
          "startedAt": "2026-11-25T12:02:00.125+00:00",
          "now": "2026-11-25T13:02:00.125+00:00",
          "source": {
            "repository": "https://git.example.com/lb/topology.git",
            "ref": "main",
            "condition": "Ready",
            "applied": {
              "sha": "0123456789abcdef",
              "subject": "Add \u003Cweb\u003E \u0026 \u0022api\u0022 \u2192 \u00FC",
              "author": "Alice \u003Calice@example.com\u003E",
              "time": "2026-11-24T13:02:00.125+00:00"
            },
            "rejected": null,
            "rejectedReasons": [],
            "message": null,
            "nextAttemptAt": "2026-11-25T13:02:30.125+00:00",
            "rejectedKind": null
          },
          "lastReconcile": {
            "time": "2026-11-25T13:01:55.125+00:00",
            "reasons": [
              "commit 0123456789ab"
            ],
            "durationMilliseconds": 12.5,
            "commit": null,
            "operations": 3,
            "failed": 0,
            "drift": 1,
            "result": "applied"
          },
          "vrrp": [
            {
              "instance": "VI_1",
              "interface": "eth0",
              "virtualRouterId": 51,
              "version": 3,
              "state": "MASTER",
              "role": "Master",
              "priority": 100,
              "effectivePriority": 90,
              "master": null,
              "lastTransition": null,
              "lastReason": null,
              "advertsSent": 12,
              "advertsReceived": 300,
              "dropped": 2,
              "droppedByReason": {
                "auth": 2
              },
              "checks": {
                "chk_web": true,
                "chk_db": null
              },
              "standby": false,
              "syncsConnections": false,
              "syncGroup": null,
              "syncGroupState": null,
              "wantsMaster": false
            }
          ],
          "services": [
            {
              "name": "web",
              "endpoint": "TCP 10.0.0.100:80",
              "vrrpInstance": "VI_1",
              "inKernel": true,
              "health": null,
              "realServers": [
                {
                  "endpoint": "10.0.1.1:8080",
                  "configuredWeight": 5,
                  "effectiveWeight": null,
                  "kernelWeight": 0,
                  "health": "DOWN",
                  "detail": "connection refused",
                  "since": "2026-11-25T13:01:30.125+00:00",
                  "activeConnections": 0,
                  "inactiveConnections": 7
                }
              ]
            }
          ],
          "errors": [
            {
              "time": "2026-11-25T13:01:50.125+00:00",
              "source": "git",
              "message": "timeout"
            }
          ],
          "events": [
            {
              "time": "2026-11-25T13:01:50.125+00:00",
              "kind": "error",
              "message": "git: timeout"
            },
            {
              "time": "2026-11-25T13:01:30.125+00:00",
              "kind": "health",
              "message": "web 10.0.1.1:8080 ServerDown: connection refused"
            }
          ]
        }
        """;
}
