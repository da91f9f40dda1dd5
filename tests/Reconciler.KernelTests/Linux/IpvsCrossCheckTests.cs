using Reconciler.Ipvs;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Linux;

/// <summary>Both directions against real ipvsadm: what it creates we read exactly; what we create it lists exactly.</summary>
public sealed class IpvsCrossCheckTests
{
    [Fact]
    public void TableCreatedByIpvsadm_ReadsExactly()
    {
        using var space = LabNamespace.Create();
        space.Restore(ReferenceTable.IpvsadmCommands);

        using var client = space.OpenClient();
        var table = client.GetAll();

        TableAssert.Equal(ReferenceTable.Model(), table);
        Assert.Equal(space.Save(), IpvsadmFormat.Save(table));
    }

    [Fact]
    public void TableCreatedByUs_IpvsadmListsExactly()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();
        var model = ReferenceTable.Model();
        foreach (var entry in model)
        {
            client.AddService(entry.Service);
            foreach (var destination in entry.Destinations)
            {
                client.AddDestination(entry.Service.Key, destination.Destination);
            }
        }

        Assert.Equal(IpvsadmFormat.Save(model), space.Save());
        string thresholds = space.List("-Ln", "--thresholds");
        Assert.All(ReferenceTable.ThresholdLines, line => Assert.Contains(line + "\n", thresholds, StringComparison.Ordinal));
        Assert.Equal(IpvsadmFormat.List(client.GetInfo(), model), space.List("-Ln"));
    }

    [Fact]
    public void TableCreatedByUsPipelined_IpvsadmListsExactly()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();
        var model = ReferenceTable.Model();

        var results = client.Execute(TableAssert.Creating(model));

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(IpvsadmFormat.Save(model), space.Save());
        TableAssert.Equal(model, client.GetAll());
    }

    [Fact]
    public void SaveWithThresholds_RestoredByIpvsadm_ReadsBackTheSameTable()
    {
        using var space = LabNamespace.Create();
        // ipvsadm -S prints fwmark 4294967295 as "-f -1", which ipvsadm -R refuses: leave that one out.
        var model = ReferenceTable.Model().Where(s => s.Service.Key.FirewallMark != uint.MaxValue).ToList();

        space.Restore(IpvsadmFormat.Save(model, includeThresholds: true));

        using var client = space.OpenClient();
        TableAssert.Equal(model, client.GetAll());
    }

    [Fact]
    public void Edits_ByUs_IpvsadmSeesThem()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();
        var key = ReferenceTable.Tcp("10.0.0.100", 80);
        client.AddService(ReferenceTable.Plain(key, "rr"));
        client.AddDestination(key, ReferenceTable.Masq("10.0.0.5", 8080, 1, 0, 0));
        client.AddDestination(key, ReferenceTable.Masq("10.0.0.6", 8080, 1, 0, 0));

        client.UpdateService(new IpvsService(key, "sh", IpvsServiceFlags.Persistent | IpvsServiceFlags.Scheduler2, 120, 0xffff0000, null));
        client.UpdateDestination(key, ReferenceTable.Masq("10.0.0.5", 8080, 42, 300, 20));
        client.DeleteDestination(key, ReferenceTable.Ip("10.0.0.6"), 8080);

        Assert.Equal(
            "-A -t 10.0.0.100:80 -s sh -p 120 -M 255.255.0.0 -b sh-port\n-a -t 10.0.0.100:80 -r 10.0.0.5:8080 -m -w 42\n",
            space.Save());
        Assert.Contains("  -> 10.0.0.5:8080                300        20 ", space.List("-Ln", "--thresholds"), StringComparison.Ordinal);

        client.DeleteService(key);
        Assert.Equal("", space.Save());
    }

    [Fact]
    public void GetService_FindsOneAndReportsAMissingOneAsNull()
    {
        using var space = LabNamespace.Create();
        space.IpvsadmOk("-A", "-u", "[2001:db8::100]:53", "-s", "wlc", "-p", "600", "-M", "64");
        using var client = space.OpenClient();

        var found = client.GetService(ReferenceTable.Udp("2001:db8::100", 53));

        Assert.NotNull(found);
        Assert.Equal(new IpvsService(ReferenceTable.Udp("2001:db8::100", 53), "wlc", IpvsServiceFlags.Persistent, 600, 64, null), found.Service);
        Assert.Null(client.GetService(ReferenceTable.Udp("2001:db8::100", 54)));
        Assert.Empty(client.GetDestinations(ReferenceTable.Udp("2001:db8::100", 53)));
    }

    [Fact]
    public void Flush_EmptiesTheTable()
    {
        using var space = LabNamespace.Create();
        space.Restore(ReferenceTable.IpvsadmCommands);

        using var client = space.OpenClient();
        client.Flush();

        Assert.Empty(client.GetAll());
        Assert.Equal("", space.Save());
    }
}
