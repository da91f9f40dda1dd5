namespace Reconciler.Linux.Netlink;

/// <summary>Resolves a generic netlink family's id by name through the controller (CTRL_CMD_GETFAMILY).</summary>
public static class GenericNetlinkFamily
{
    /// <summary>The family's id, or null when the kernel has no such family (its module is not loaded).</summary>
    public static ushort? TryResolve(NetlinkConnection connection, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = new Result();
        try
        {
            connection.Request(
                $"resolve generic netlink family {name}",
                GenericNetlink.GENL_ID_CTRL,
                0,
                (Name: name, Result: result),
                static (ref NetlinkMessageWriter writer, (string Name, Result Result) state) => WriteGetFamily(ref writer, state.Name),
                static (reply, state) => state.Result.Id ??= ReadFamilyId(reply));
        }
        catch (NetlinkException exception) when (exception.Errno == Native.Errno.ENOENT)
        {
            return null;
        }

        return result.Id;
    }

    /// <summary>The body of CTRL_CMD_GETFAMILY for <paramref name="name"/>.</summary>
    public static void WriteGetFamily(ref NetlinkMessageWriter writer, string name)
    {
        writer.WriteGenericHeader(GenericNetlink.CTRL_CMD_GETFAMILY, 1);
        writer.WriteString(GenericNetlink.CTRL_ATTR_FAMILY_NAME, name);
    }

    /// <summary>CTRL_ATTR_FAMILY_ID of a CTRL_CMD_NEWFAMILY reply, if present.</summary>
    public static ushort? ReadFamilyId(NetlinkMessage reply)
    {
        var attributes = reply.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type == GenericNetlink.CTRL_ATTR_FAMILY_ID)
            {
                return attribute.GetUInt16();
            }
        }

        return null;
    }

    private sealed class Result
    {
        public ushort? Id { get; set; }
    }
}
