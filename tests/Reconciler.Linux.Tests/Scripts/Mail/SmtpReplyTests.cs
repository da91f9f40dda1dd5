using System.Text;
using Reconciler.Scripts.Mail;

namespace Reconciler.Linux.Tests.Scripts.Mail;

public sealed class SmtpReplyTests
{
    [Theory]
    [InlineData("220 mail.example ESMTP\r\n", 220, "220 mail.example ESMTP")]
    [InlineData("250\r\n", 250, "250")]
    [InlineData("221 bye\n", 221, "221 bye")] // a bare LF, as keepalived accepts
    [InlineData("250-first\r\n250-second\r\n250 last\r\n", 250, "250-first")]
    [InlineData("220-a\r\n220 b\r\nleft over", 220, "220-a")]
    public void Read_CompleteReplies_GiveTheCode(string text, int code, string firstLine)
    {
        var data = Encoding.ASCII.GetBytes(text);

        Assert.Equal(SmtpReplyStatus.Complete, SmtpReply.Read(data, out var value, out var line));

        Assert.Equal(code, value);
        Assert.Equal(firstLine, Encoding.ASCII.GetString(data[line]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("220 no line end yet")]
    [InlineData("250-first\r\n250-second\r\n")]
    [InlineData("250-first\r\n25")]
    public void Read_NoLastLineYet_Incomplete(string text) =>
        Assert.Equal(SmtpReplyStatus.Incomplete, SmtpReply.Read(Encoding.ASCII.GetBytes(text), out _, out _));

    [Theory]
    [InlineData("hello\r\n")]
    [InlineData("22\r\n")]
    [InlineData("2200 x\r\n")]
    [InlineData("22a x\r\n")]
    [InlineData("250-ok\r\nnot a reply line\r\n")]
    public void Read_NotReplyLines_Malformed(string text) =>
        Assert.Equal(SmtpReplyStatus.Malformed, SmtpReply.Read(Encoding.ASCII.GetBytes(text), out _, out _));
}
