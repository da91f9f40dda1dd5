using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>An instance's <c>use_vmac [NAME]</c> and <c>vmac_xmit_base</c> as read.</summary>
internal sealed class VmacConfig
{
    public Token? UseVmac { get; set; }

    public string? Name { get; set; }

    public Token? TransmitBase { get; set; }
}

internal sealed partial class NodeConfigReader
{
    /// <summary><c>use_vmac [NAME]</c> (keepalived ignores a name of 16 characters or more and takes the default
    /// <c>vrrp.VRID</c>) and <c>vmac_xmit_base</c>.</summary>
    private void ReadVmac(ConfigStatement statement, string context, VmacConfig vmac)
    {
        NoBlock(statement);
        if (statement.Name == "vmac_xmit_base")
        {
            ExtraArguments(statement, 0);
            vmac.TransmitBase = statement.Keyword;
            return;
        }

        ExtraArguments(statement, 1);
        vmac.UseVmac = statement.Keyword;
        if (statement.Arguments.Count == 0)
        {
            return;
        }

        var name = statement.Arguments[0];
        if (name.Text.Length > VirtualMac.MaxNameLength)
        {
            Warning("invalid-value", $"{context}: vmac name '{name.Text}' is longer than {VirtualMac.MaxNameLength} characters; keepalived ignores it and so does the import (the default vrrp.VRID is used)", name.Location);
            return;
        }

        vmac.Name = name.Text;
    }

    private VirtualMac? VmacOf(VmacConfig vmac, string context, int vrid)
    {
        if (vmac.UseVmac is null)
        {
            if (vmac.TransmitBase is { } alone)
            {
                Warning("unsupported-keyword", $"'vmac_xmit_base' in {context} is ignored (it has no effect without use_vmac)", alone.Location);
            }

            return null;
        }

        return new VirtualMac(vmac.Name ?? VirtualMac.DefaultName(vrid), vmac.TransmitBase is not null);
    }
}
