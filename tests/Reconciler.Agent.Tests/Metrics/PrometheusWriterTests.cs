using FsCheck;
using FsCheck.Fluent;
using Reconciler.Agent.Metrics;

namespace Reconciler.Agent.Tests.Metrics;

public sealed class PrometheusWriterTests
{
    [Fact]
    public void ToString_SmallFamilySet_ExactExpositionText()
    {
        var writer = new PrometheusWriter();
        writer.Family("app_requests_total", "counter", "Requests served.")
            .Sample(3)
            .Sample(1.5, ("code", "200"), ("method", "GET"));
        writer.Family("app_temperature", "gauge", "Line one\nline two, with a \\ in it.")
            .Sample(-0.25)
            .Sample(double.PositiveInfinity, ("sensor", "a"))
            .Sample(double.NaN, ("sensor", "b"));
        writer.Family("app_latency_seconds", "histogram", "Latency.")
            .Sample("_bucket", 1, ("le", "0.1"))
            .Sample("_bucket", 2, ("le", "+Inf"))
            .Sample("_sum", 0.35)
            .Sample("_count", 2);

        Assert.Equal(
            """
            # HELP app_requests_total Requests served.
            # TYPE app_requests_total counter
            app_requests_total 3
            app_requests_total{code="200",method="GET"} 1.5
            # HELP app_temperature Line one\nline two, with a \\ in it.
            # TYPE app_temperature gauge
            app_temperature -0.25
            app_temperature{sensor="a"} +Inf
            app_temperature{sensor="b"} NaN
            # HELP app_latency_seconds Latency.
            # TYPE app_latency_seconds histogram
            app_latency_seconds_bucket{le="0.1"} 1
            app_latency_seconds_bucket{le="+Inf"} 2
            app_latency_seconds_sum 0.35
            app_latency_seconds_count 2

            """.ReplaceLineEndings("\n"),
            writer.ToString());
    }

    [Fact]
    public void Sample_LabelWithBackslashQuoteAndNewline_Escaped()
    {
        var writer = new PrometheusWriter();
        writer.Family("x_total", "counter", "X.").Sample(1, ("path", "C:\\dir \"quoted\"\nnext"));

        Assert.Contains("x_total{path=\"C:\\\\dir \\\"quoted\\\"\\nnext\"} 1\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_LargeCounter_WrittenInFullNotInExponentForm()
    {
        var writer = new PrometheusWriter();
        writer.Family("x_total", "counter", "X.").Sample(123456789);

        Assert.EndsWith("x_total 123456789\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_AfterAPieceWasSent_StartsEmptyAndStillKnowsItsFamilies()
    {
        var writer = new PrometheusWriter();
        writer.Family("x_total", "counter", "X.").Sample(1);
        Assert.False(writer.IsFull);

        writer.Clear();
        writer.Sample(2);

        Assert.Equal("x_total 2\n", writer.ToString());
        Assert.Throws<InvalidOperationException>(() => writer.Family("x_total", "counter", "Again."));
    }

    [Fact]
    public void IsFull_OnceAPieceIsWritten_True()
    {
        var writer = new PrometheusWriter();
        writer.Family("x", "gauge", "X.");
        var samples = 0;
        while (!writer.IsFull)
        {
            writer.Sample(samples++, ("i", "v"));
        }

        Assert.InRange(writer.Written.Length, PrometheusWriter.PieceBytes, PrometheusWriter.PieceBytes + 64);
    }

    [Fact]
    public void Written_NonAsciiLabel_Utf8()
    {
        var writer = new PrometheusWriter();
        writer.Family("x", "gauge", "Grüße.").Sample(0.5, ("name", "café \U0001F600"));

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("# HELP x Grüße.\n# TYPE x gauge\nx{name=\"café \U0001F600\"} 0.5\n"), writer.Written.ToArray());
    }

    [Fact]
    public void Family_SameNameTwice_Throws()
    {
        var writer = new PrometheusWriter();
        writer.Family("x_total", "counter", "X.").Sample(1);

        var error = Assert.Throws<InvalidOperationException>(() => writer.Family("x_total", "counter", "Again."));
        Assert.Contains("x_total", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("requests", "counter")] // a counter without _total
    [InlineData("queue_length_total", "gauge")] // _total on something that is not a counter
    [InlineData("http-requests_total", "counter")] // not a metric name
    [InlineData("2xx_total", "counter")]
    [InlineData("x", "enum")] // not a type of the format
    public void Family_WhatPromtoolWouldReport_Throws(string name, string type)
    {
        var writer = new PrometheusWriter();

        Assert.Throws<ArgumentException>(() => writer.Family(name, type, "X."));
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void Sample_BeforeAnyFamily_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new PrometheusWriter().Sample(1));
    }

    [Fact]
    public void Sample_AnyLabelValue_ParsesBackToTheSameValue()
    {
        Prop.ForAll<NonNull<string>>(value =>
        {
            var writer = new PrometheusWriter();
            writer.Family("x_total", "counter", "X.").Sample(1, ("v", value.Get));

            var parsed = PrometheusText.Parse(writer.ToString());

            return parsed["x_total"].Samples.Single().Labels["v"] == value.Get;
        }).QuickCheckThrowOnFailure();
    }
}
