using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Topology.Model;

/// <summary>An address with its prefix length, as configured on an interface (<c>192.168.1.120/32</c>).</summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public AddressFamily Family => Address.AddressFamily;

    public static int FullPrefix(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>Parses <c>ADDR</c> or <c>ADDR/LEN</c>; a bare address gets the full prefix.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out InterfaceAddress? result)
    {
        result = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        var max = FullPrefix(address.AddressFamily);
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return false;
        }

        result = new InterfaceAddress(address, prefix);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
