using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;

namespace Reconciler.Planning.Plans;

/// <summary>Per-field differences between two settings of one object, as the plan prints them.</summary>
public static class FieldChanges
{
    public static IReadOnlyList<FieldChange> Between(IpvsService old, IpvsService @new)
    {
        var changes = new List<FieldChange>();
        Add(changes, "scheduler", old.Scheduler, @new.Scheduler);
        Add(changes, "flags", FormatFlags(old.Flags), FormatFlags(@new.Flags));
        Add(changes, "persistence timeout", $"{old.TimeoutSeconds}s", $"{@new.TimeoutSeconds}s");
        Add(changes, "persistence netmask", FormatNetmask(old.Key.Family, old.Netmask), FormatNetmask(@new.Key.Family, @new.Netmask));
        Add(changes, "persistence engine", old.PersistenceEngine ?? "none", @new.PersistenceEngine ?? "none");
        return changes;
    }

    /// <summary>Each field is formatted only when its value differs (distinct values print distinctly): a plan
    /// with many updates formats what it shows and nothing else.</summary>
    public static IReadOnlyList<FieldChange> Between(IpvsDestination old, IpvsDestination @new)
    {
        var changes = new List<FieldChange>();
        if (old.Forwarding != @new.Forwarding)
        {
            Add(changes, "forwarding", FormatForwarding(old.Forwarding), FormatForwarding(@new.Forwarding));
        }

        if (old.Weight != @new.Weight)
        {
            Add(changes, "weight", old.Weight.ToString(CultureInfo.InvariantCulture), @new.Weight.ToString(CultureInfo.InvariantCulture));
        }

        if (old.UpperThreshold != @new.UpperThreshold)
        {
            Add(changes, "upper threshold", old.UpperThreshold.ToString(CultureInfo.InvariantCulture), @new.UpperThreshold.ToString(CultureInfo.InvariantCulture));
        }

        if (old.LowerThreshold != @new.LowerThreshold)
        {
            Add(changes, "lower threshold", old.LowerThreshold.ToString(CultureInfo.InvariantCulture), @new.LowerThreshold.ToString(CultureInfo.InvariantCulture));
        }

        if (old.TunnelType != @new.TunnelType)
        {
            Add(changes, "tunnel type", old.TunnelType.ToString().ToLowerInvariant(), @new.TunnelType.ToString().ToLowerInvariant());
        }

        if (old.TunnelPort != @new.TunnelPort)
        {
            Add(changes, "tunnel port", old.TunnelPort.ToString(CultureInfo.InvariantCulture), @new.TunnelPort.ToString(CultureInfo.InvariantCulture));
        }

        if (old.TunnelFlags != @new.TunnelFlags)
        {
            Add(changes, "tunnel flags", old.TunnelFlags.ToString().ToLowerInvariant(), @new.TunnelFlags.ToString().ToLowerInvariant());
        }

        return changes;
    }

    public static string FormatFlags(IpvsServiceFlags flags)
    {
        var names = new List<string>();
        if ((flags & IpvsServiceFlags.Persistent) != 0)
        {
            names.Add("persistent");
        }

        if ((flags & IpvsServiceFlags.OnePacket) != 0)
        {
            names.Add("one-packet");
        }

        if ((flags & IpvsServiceFlags.Scheduler1) != 0)
        {
            names.Add("flag-1");
        }

        if ((flags & IpvsServiceFlags.Scheduler2) != 0)
        {
            names.Add("flag-2");
        }

        if ((flags & IpvsServiceFlags.Scheduler3) != 0)
        {
            names.Add("flag-3");
        }

        return names.Count == 0 ? "none" : string.Join(",", names);
    }

    public static string FormatNetmask(AddressFamily family, uint netmask)
    {
        if (family == AddressFamily.InterNetworkV6)
        {
            return "/" + netmask.ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, netmask);
        return new IPAddress(bytes).ToString();
    }

    public static string FormatForwarding(IpvsForwarding forwarding) => forwarding switch
    {
        IpvsForwarding.Masquerade => "nat",
        IpvsForwarding.DirectRoute => "dr",
        IpvsForwarding.Tunnel => "tunnel",
        IpvsForwarding.LocalNode => "local",
        IpvsForwarding.Bypass => "bypass",
        _ => forwarding.ToString(),
    };

    private static void Add(List<FieldChange> changes, string field, string old, string @new)
    {
        if (!string.Equals(old, @new, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(field, old, @new));
        }
    }
}
