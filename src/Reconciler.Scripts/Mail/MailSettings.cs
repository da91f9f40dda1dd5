namespace Reconciler.Scripts.Mail;

/// <summary>
/// Where and how alerts are mailed, resolved for this node (the topology's <c>mail</c> block with the node's name
/// filled in where it gave none).
/// </summary>
/// <param name="Host">The relay's host name or address.</param>
/// <param name="Port">The relay's TCP port.</param>
/// <param name="From">The envelope and header sender.</param>
/// <param name="To">The recipients.</param>
/// <param name="HeloName">The name given in HELO.</param>
/// <param name="Timeout">Bounds the connection and each reply.</param>
/// <param name="RouterId">The node's name, the <c>[lb1]</c> that starts every subject (keepalived's <c>router_id</c>).</param>
/// <param name="Vrrp">VRRP instances and sync groups mail unless their notify block says otherwise.</param>
/// <param name="Checkers">Services mail unless their notify block says otherwise.</param>
public sealed record MailSettings(
    string Host,
    int Port,
    string From,
    IReadOnlyList<string> To,
    string HeloName,
    TimeSpan Timeout,
    string RouterId,
    bool Vrrp,
    bool Checkers);

/// <summary>One alert: its subject and one-line body, as keepalived writes them.</summary>
public sealed record MailAlert(string Subject, string Body);
