using System.Net.Http.Headers;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Metrics;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>GET /metrics over Kestrel: streamed as it is written (chunked, no length known in advance), whole.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Get_ThousandsOfRealServers_StreamedChunkedAndComplete()
    {
        var feed = new ScriptedTopologyFeed { Kept = Polls.Good("Many", Topologies.Many(30, 50)) };
        await using var agent = await HostedAgent.StartAsync(feed);
        using var bound = new CancellationTokenSource(HostedAgent.Bound);

        while (true)
        {
            using var response = await agent.Http.GetAsync(new Uri("metrics", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, bound.Token);
            response.EnsureSuccessStatusCode();
            Assert.Equal(MediaTypeHeaderValue.Parse("text/plain; version=0.0.4; charset=utf-8"), response.Content.Headers.ContentType);
            Assert.True(response.Headers.TransferEncodingChunked, "sent as written, so without a Content-Length");
            Assert.Null(response.Content.Headers.ContentLength);
            var families = PrometheusText.Parse(await response.Content.ReadAsStringAsync(bound.Token));
            // The kept revision is put in force while the host starts; the health checker's series follow it.
            if (families.TryGetValue("reconciler_real_server_up", out var up) && up.Samples.Count > 0)
            {
                Assert.Equal(1500, up.Samples.Count);
                Assert.Equal(1500, families["reconciler_real_server_effective_weight"].Samples.Count); // the last family: the text is whole
                return;
            }

            await Task.Delay(50, bound.Token);
        }
    }
}
