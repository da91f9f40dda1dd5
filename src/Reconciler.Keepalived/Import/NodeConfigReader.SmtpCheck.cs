using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    /// <summary>SMTP_CHECK's own keyword (<c>check_smtp.c</c>); its <c>host</c> blocks are read by <see cref="ReadSmtpHost"/>.</summary>
    private bool ReadSmtpOption(ConfigStatement s, CheckerSettings settings)
    {
        if (s.Name != "helo_name")
        {
            return false;
        }

        settings.HeloName = Word(s)?.Text ?? settings.HeloName;
        return true;
    }

    /// <summary>
    /// SMTP_CHECK's deprecated <c>host { ... }</c> block, which keepalived 2.2.7 still takes: each host is a checker
    /// of its own, and the SMTP_CHECK's own connection one more when the block sets any connection option. The
    /// topology has one check per real server, so it checks the SMTP_CHECK's own connection if there is one, else the
    /// first host (<paramref name="target"/>); another host's connection options are dropped. A host's timing options
    /// (retry, delay_loop, ...) apply to every checker of the block in keepalived, so they apply to the check here.
    /// </summary>
    private void ReadSmtpHost(ConfigStatement host, string context, CheckerSettings settings, bool target, bool ownConnection)
    {
        var hostContext = $"{context} host";
        var block = Block(host);
        if (target)
        {
            foreach (var s in block)
            {
                if (!ReadTimingOption(s, settings) && !ReadConnectionOption(s, HealthCheckKind.Smtp, hostContext, settings))
                {
                    Unsupported(s, hostContext);
                }
            }

            if (!block.Any(s => s.Name == "connect_timeout"))
            {
                Warning(
                    "invalid-value",
                    $"{hostContext}: keepalived 2.2.7 gives a host without its own connect_timeout a timeout of 0, so its check fails at the first read; the topology uses the real server's, the virtual server's or the default 5 s",
                    host.Location);
            }

            return;
        }

        var checks = ownConnection ? "the SMTP_CHECK's own connection" : "the first host";
        Warning(
            "smtp-host",
            $"{hostContext}: keepalived checks this host as a checker of its own; the topology has one check per real server and checks {checks}, so this host's connection options are dropped (its timing options apply to the check, as in keepalived)",
            host.Location);
        foreach (var s in block)
        {
            if (ReadTimingOption(s, settings))
            {
                continue;
            }

            if (ConnectionKeywords.Contains(s.Name))
            {
                Warning("unsupported-keyword", $"'{s.Name}' in {hostContext} is ignored (the topology checks {checks})", s.Location);
            }
            else
            {
                Unsupported(s, hostContext);
            }
        }
    }
}
