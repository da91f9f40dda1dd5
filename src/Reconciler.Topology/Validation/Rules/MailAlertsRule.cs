using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Mail alerts go out as SMTP commands and headers: the sender, each recipient and the HELO name must be one word of
/// printable ASCII (a line break would end a command early and smuggle another in; a blank or angle bracket would
/// break <c>MAIL FROM:&lt;...&gt;</c>), and an address needs its <c>@</c>. A notify block that asks for mail when the
/// topology has no <c>mail</c> block would send nothing: that is an error, not a silent no-op.
/// </summary>
public sealed class MailAlertsRule : ITopologyRule
{
    public string Code => "mail-alerts";

    public void Check(ValidationContext context)
    {
        var topology = context.Topology;
        if (topology.Mail is { } mail)
        {
            if (mail.From is { } from && !IsAddress(from))
            {
                context.Error(Code, "/mail/from", $"sender {Quote(from)} is not an address like lb@example.com (one word of printable ASCII with an @, no angle brackets)");
            }

            for (var i = 0; i < mail.To.Count; i++)
            {
                if (!IsAddress(mail.To[i]))
                {
                    context.Error(Code, Pointers.Item("/mail/to", i), $"recipient {Quote(mail.To[i])} is not an address like ops@example.com (one word of printable ASCII with an @, no angle brackets)");
                }
            }

            if (mail.HeloName is { } helo && !IsWord(helo))
            {
                context.Error(Code, "/mail/heloName", $"HELO name {Quote(helo)} is not one word of printable ASCII");
            }

            if (mail.ConnectTimeout <= TimeSpan.Zero)
            {
                context.Error(Code, "/mail/connectTimeout", "the connect timeout must be above 0");
            }

            return;
        }

        for (var i = 0; i < topology.VrrpInstances.Count; i++)
        {
            if (topology.VrrpInstances[i].Notify?.Mail == true)
            {
                context.Error(Code, JsonPointer.Append(Pointers.Instance(i, "notify"), "mail"), NoMailBlock);
            }
        }

        for (var i = 0; i < topology.SyncGroups.Count; i++)
        {
            if (topology.SyncGroups[i].Notify?.Mail == true)
            {
                context.Error(Code, JsonPointer.Append(Pointers.SyncGroup(i, "notify"), "mail"), NoMailBlock);
            }
        }

        for (var i = 0; i < topology.Services.Count; i++)
        {
            if (topology.Services[i].Notify?.Mail == true)
            {
                context.Error(Code, JsonPointer.Append(Pointers.Service(i, "notify"), "mail"), NoMailBlock);
            }
        }
    }

    private const string NoMailBlock = "mail is on but the topology has no top-level mail block (server, to): nothing would be sent";

    private static bool IsWord(string text) => text.Length > 0 && text.All(c => c is >= '!' and <= '~');

    private static bool IsAddress(string text) =>
        IsWord(text) && !text.Contains('<', StringComparison.Ordinal) && !text.Contains('>', StringComparison.Ordinal)
        && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < text.Length - 1;

    private static string Quote(string text) =>
        "'" + string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + "'";
}
