namespace Reconciler.Topology.Validation.Rules;

/// <summary>Authentication exists in VRRPv2 only (RFC 5798 removed it), with either a password or a password file.</summary>
public sealed class AuthenticationRule : ITopologyRule
{
    public string Code => "authentication";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            if (instances[i].Authentication is not { } auth)
            {
                continue;
            }

            if (instances[i].Version == 3)
            {
                context.Error(Code, Pointers.Instance(i, "authentication"), "VRRP version 3 has no authentication; remove it (or use version 2)", atKey: true);
            }

            if ((auth.Password is null) == (auth.PasswordFile is null))
            {
                context.Error(Code, Pointers.Instance(i, "authentication"), "give either password or passwordFile");
            }
            else if (auth.Password is { Length: > 8 })
            {
                context.Error(Code, Pointers.Instance(i, "authentication"), "a VRRP password has at most 8 characters");
            }
        }
    }
}
