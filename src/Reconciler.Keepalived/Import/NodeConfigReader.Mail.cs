using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// keepalived's mail settings in <c>global_defs</c> (<c>notification_email</c>, <c>notification_email_from</c>,
/// <c>smtp_server</c>, <c>smtp_helo_name</c>, <c>smtp_connect_timeout</c>, <c>smtp_alert</c>,
/// <c>smtp_alert_vrrp</c>, <c>smtp_alert_checker</c>) onto the topology's <c>mail</c> block, and each instance's,
/// group's and virtual server's <c>smtp_alert</c> onto its notify block. keepalived mails nothing without both a
/// server and a recipient (smtp.c); then neither is anything imported, and each <c>smtp_alert</c> says so.
/// </summary>
internal sealed partial class NodeConfigReader
{
    private readonly List<string> _mailTo = [];
    private ConfigStatement? _mailServerStatement;
    private string? _mailHost;
    private int _mailPort = MailAlerts.DefaultPort;
    private string? _mailFrom;
    private string? _mailHelo;
    private TimeSpan? _mailTimeout;
    private bool? _smtpAlert;
    private bool? _smtpAlertVrrp;
    private bool? _smtpAlertChecker;
    private SourceLocation? _mailLocation;

    /// <summary>Reads one global_defs mail keyword; false when <paramref name="statement"/> is none.</summary>
    private bool ReadMailGlobal(ConfigStatement statement)
    {
        switch (statement.Name)
        {
            case "notification_email":
                foreach (var address in Block(statement))
                {
                    _mailTo.Add(address.Name);
                    ExtraArguments(address, 0);
                }

                break;
            case "notification_email_from":
                _mailFrom = Word(statement)?.Text ?? _mailFrom;
                break;
            case "smtp_server":
                ReadSmtpServer(statement);
                break;
            case "smtp_helo_name":
                _mailHelo = Word(statement)?.Text ?? _mailHelo;
                break;
            case "smtp_connect_timeout":
                _mailTimeout = Seconds(statement, 1, 3600) ?? _mailTimeout;
                break;
            case "smtp_alert":
                _smtpAlert = Flag(statement);
                break;
            case "smtp_alert_vrrp":
                _smtpAlertVrrp = Flag(statement);
                break;
            case "smtp_alert_checker":
                _smtpAlertChecker = Flag(statement);
                break;
            default:
                return false;
        }

        _mailLocation ??= statement.Location;
        return true;
    }

    private void ReadSmtpServer(ConfigStatement statement)
    {
        if (Word(statement, expected: 2) is not { } host)
        {
            return;
        }

        _mailServerStatement = statement;
        _mailHost = host.Text;
        _mailPort = MailAlerts.DefaultPort;
        if (statement.Arguments.Count > 1 && Port(statement.Arguments[1], "smtp_server port") is { } port and > 0)
        {
            _mailPort = port;
        }
    }

    /// <summary>The node's mail block once global_defs is read, or null (with why, when mail was half set up).</summary>
    private void ResolveMail()
    {
        if (_mailHost is not null && _mailTo.Count > 0)
        {
            _node.Mail = new Located<MailAlerts>(
                new MailAlerts(_mailHost, _mailPort, _mailFrom, _mailTo.ToValueList(), _mailHelo, _mailTimeout ?? MailAlerts.DefaultConnectTimeout,
                    Vrrp: _smtpAlertVrrp ?? _smtpAlert ?? false, Checkers: _smtpAlertChecker ?? _smtpAlert ?? false),
                _mailServerStatement!.Location);
        }
        else if (_mailLocation is { } location)
        {
            Warning("unsupported-keyword",
                $"global_defs: mail settings without {(_mailHost is null ? "smtp_server" : "notification_email")}: keepalived sends no mail, and none is imported",
                location);
        }
    }

    /// <summary>An object's <c>smtp_alert</c>: its flag when the node mails at all, else null with a warning
    /// (keepalived would send nothing either).</summary>
    private bool? SmtpAlert(ConfigStatement statement, string context)
    {
        var flag = Flag(statement);
        if (_node.Mail is not null)
        {
            return flag;
        }

        if (flag)
        {
            Warning("unsupported-keyword",
                $"'smtp_alert' in {context} is ignored: global_defs has no smtp_server and notification_email, so keepalived sends no mail either",
                statement.Location);
        }

        return null;
    }
}
