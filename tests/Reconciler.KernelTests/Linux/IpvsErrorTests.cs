using Reconciler.Ipvs;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Native;

namespace Reconciler.KernelTests.Linux;

/// <summary>Refusals become typed errors naming the operation, and leave the table as it was.</summary>
public sealed class IpvsErrorTests
{
    private static readonly ServiceKey Web = ReferenceTable.Tcp("10.0.0.120", 80);

    [Fact]
    public void AddService_Twice_IsFileExists()
    {
        AssertRefused(
            client => client.AddService(ReferenceTable.Plain(Web, "rr")),
            Errno.EEXIST,
            "add service TCP 10.0.0.120:80: File exists");
    }

    [Fact]
    public void AddDestination_Twice_IsFileExists()
    {
        AssertRefused(
            client => client.AddDestination(Web, ReferenceTable.Masq("10.0.0.5", 80, 1, 0, 0)),
            Errno.EEXIST,
            "add real server 10.0.0.5:80 to TCP 10.0.0.120:80: File exists");
    }

    [Fact]
    public void DeleteService_Missing_IsNoSuchProcess()
    {
        AssertRefused(
            client => client.DeleteService(ReferenceTable.Tcp("10.0.0.121", 80)),
            Errno.ESRCH,
            "delete service TCP 10.0.0.121:80: No such process");
    }

    [Fact]
    public void DeleteDestination_Missing_IsNoSuchFile()
    {
        AssertRefused(
            client => client.DeleteDestination(Web, ReferenceTable.Ip("10.0.0.99"), 80),
            Errno.ENOENT,
            "delete real server 10.0.0.99:80 from TCP 10.0.0.120:80: No such file or directory");
    }

    [Fact]
    public void AddService_UnknownScheduler_IsNoSuchFile()
    {
        AssertRefused(
            client => client.AddService(ReferenceTable.Plain(ReferenceTable.Tcp("10.0.0.122", 80), "nosuch")),
            Errno.ENOENT,
            "add service TCP 10.0.0.122:80: No such file or directory");
    }

    [Fact]
    public void AddDestination_ThresholdsOutOfOrder_IsOutOfRange()
    {
        AssertRefused(
            client => client.AddDestination(Web, ReferenceTable.Masq("10.0.0.6", 80, 1, 5, 7)),
            Errno.ERANGE,
            "add real server 10.0.0.6:80 to TCP 10.0.0.120:80: Numerical result out of range");
    }

    [Fact]
    public void AddDestination_AddressWithoutRoute_IsInvalidArgument()
    {
        using var space = LabNamespace.Create(configured: false);
        space.IpvsadmOk("-A", "-t", "10.0.0.120:80", "-s", "rr");
        string before = space.Save();
        using var client = space.OpenClient();

        var error = Assert.Throws<IpvsException>(() => client.AddDestination(Web, ReferenceTable.Masq("192.0.2.99", 80, 1, 0, 0)));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.StartsWith("add real server 192.0.2.99:80 to TCP 10.0.0.120:80: Invalid argument", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, space.Save());
    }

    [Fact]
    public void Execute_ErrorsInTheMiddle_AreAttributedAndTheRestIsApplied()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();
        var other = ReferenceTable.Tcp("10.0.0.121", 80);
        IpvsOperation[] operations =
        [
            new AddService(ReferenceTable.Plain(Web, "rr")),
            new AddService(ReferenceTable.Plain(Web, "rr")),
            new AddDestination(Web, ReferenceTable.Masq("10.0.0.5", 80, 1, 0, 0)),
            new DeleteService(other),
            new AddService(ReferenceTable.Plain(other, "nosuch")),
            new AddDestination(Web, ReferenceTable.Masq("10.0.0.6", 80, 2, 0, 0)),
            new DeleteDestination(Web, ReferenceTable.Ip("10.0.0.7"), 80),
        ];

        var results = client.Execute(operations);

        Assert.Equal(operations, results.Select(r => r.Operation));
        Assert.Equal([0, Errno.EEXIST, 0, Errno.ESRCH, Errno.ENOENT, 0, Errno.ENOENT], results.Select(r => r.Error?.Errno ?? 0));
        Assert.Equal("add service TCP 10.0.0.120:80: File exists", results[1].Error!.Message);
        Assert.Equal(
            "-A -t 10.0.0.120:80 -s rr\n-a -t 10.0.0.120:80 -r 10.0.0.5:80 -m -w 1\n-a -t 10.0.0.120:80 -r 10.0.0.6:80 -m -w 2\n",
            space.Save());
    }

    /// <summary>Sets up TCP 10.0.0.120:80 with one real server, runs <paramref name="act"/>, expects the refusal and
    /// an unchanged table.</summary>
    private static void AssertRefused(Action<IIpvsClient> act, int errno, string message)
    {
        using var space = LabNamespace.Create();
        space.Restore("-A -t 10.0.0.120:80 -s rr\n-a -t 10.0.0.120:80 -r 10.0.0.5:80 -m\n");
        string before = space.Save();
        using var client = space.OpenClient();

        var error = Assert.Throws<IpvsException>(() => act(client));

        Assert.Equal(errno, error.Errno);
        Assert.Equal(message, error.Message);
        Assert.Equal(before, space.Save());
    }
}
