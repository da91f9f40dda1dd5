using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>An http check's further urls (keepalived's second and later <c>url</c> blocks): they load in order, take
/// the check's host unless they name their own, and what a file gets wrong is located.</summary>
public sealed class HttpUrlsLoadingTests
{
    private static TopologyLoadResult Load(string check) => LoaderHelpers.Load(Samples.WithCheck(check));

    [Fact]
    public void Load_MoreUrls_BindsThemInOrder_WithTheChecksHostByDefault()
    {
        var result = Load("{type: http, http: {path: /, host: www.example, moreUrls: [{path: /health, expectedStatus: [200, 204], bodyDigest: d41d8cd98f00b204e9800998ecf8427e}, {path: /api, host: api.example}]}}");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var http = result.Topology!.Services[0].HealthCheck!.Http!;
        Assert.Equal(
            [
                new HttpUrl("/", TopologyDefaults.HttpExpectedStatus, null, "www.example"),
                new HttpUrl("/health", [200, 204], "d41d8cd98f00b204e9800998ecf8427e", "www.example"),
                new HttpUrl("/api", TopologyDefaults.HttpExpectedStatus, null, "api.example"),
            ],
            http.AllUrls());
    }

    [Fact]
    public void Load_WithoutMoreUrls_IsTheOneUrlCheck() =>
        Assert.Equal(TopologyDefaults.Http with { Path = "/x" }, Load("{type: http, http: {path: /x}}").Topology!.Services[0].HealthCheck!.Http);

    [Fact]
    public void Load_UrlWithoutPath_IsASchemaErrorAtTheUrl() => Assert.Equal(
        ["topology.yaml:6:49: error: services[0].healthCheck.http.moreUrls[0]: missing required property 'path'"],
        Load("{type: http, http: {moreUrls: [{host: a.example}]}}").Lines());

    [Fact]
    public void Load_UrlWithVerifyTls_IsASchemaError_ItIsTheChecks() => Assert.StartsWith(
        "topology.yaml:6:61: error: services[0].healthCheck.http.moreUrls[0].verifyTls: unknown property 'verifyTls'",
        Assert.Single(Load("{type: https, http: {moreUrls: [{path: /a, verifyTls: false}]}}").Lines()),
        StringComparison.Ordinal);

    [Fact]
    public void Load_UrlRepeatingAnEarlierOne_Warns()
    {
        var result = Load("{type: http, http: {path: /a, moreUrls: [{path: /b}, {path: /a, expectedStatus: [404]}, {path: /b, host: other}]}}");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Contains("topology.yaml:6:71: warning: services[0].healthCheck.http.moreUrls[1]: url /a repeats the path and host of the check's first url: it is fetched twice", result.Lines());
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("/b repeats", StringComparison.Ordinal));
    }
}
