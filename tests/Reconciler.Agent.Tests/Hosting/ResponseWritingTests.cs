using System.Text;
using Microsoft.AspNetCore.Http;
using Reconciler.Agent.Hosting;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>/metrics is written in flushed pieces: the bytes are the text's UTF-8 whatever falls on a piece's edge.</summary>
public sealed class ResponseWritingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(100_000)]
    public async Task WriteInPiecesAsync_AnyLength_TheTextsUtf8(int length)
    {
        // Two- and four-byte characters throughout, so that some straddle the 16 K pieces' edges.
        var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 7 == 0 ? "é" : i % 11 == 0 ? "\U0001F600" : "a"))[..length];
        if (length > 0 && char.IsHighSurrogate(text[^1]))
        {
            text = text[..^1] + "a";
        }

        var body = await WriteAsync(text);

        Assert.Equal(Encoding.UTF8.GetBytes(text), body);
    }

    [Fact]
    public async Task WriteInPiecesAsync_SurrogatePairAcrossAnEdge_Kept()
    {
        var text = new string('a', (16 * 1024) - 1) + "\U0001F600" + "b";

        Assert.Equal(Encoding.UTF8.GetBytes(text), await WriteAsync(text));
    }

    private static async Task<byte[]> WriteAsync(string text)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await AgentHost.WriteInPiecesAsync(context.Response, text, "text/plain; charset=utf-8", TestContext.Current.CancellationToken);
        await context.Response.BodyWriter.CompleteAsync();

        Assert.Equal("text/plain; charset=utf-8", context.Response.ContentType);
        return body.ToArray();
    }
}
