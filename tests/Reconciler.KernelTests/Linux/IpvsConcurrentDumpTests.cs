using System.Net;
using Reconciler.Ipvs;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Linux;

/// <summary>
/// The kernel's service dump counts its resume position over every namespace's services. These tests change another
/// namespace's services while ours is read, as containers using IPVS on the same director would, and check that the
/// listing is still exactly ours: nothing repeated, nothing skipped.
/// </summary>
public sealed class IpvsConcurrentDumpTests
{
    /// <summary>Enough services that the dump comes in many 32 KiB parts.</summary>
    private const int OurServices = 1500;

    private const int Listings = 40;

    /// <summary>Services the other namespace adds, then removes, during each listing.</summary>
    private const int BurstServices = 24;

    [Fact]
    public async Task GetServices_WhileAnotherNamespaceAddsAndRemovesServices_ListsEachOfOursOnce()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var ours = LabNamespace.Create();
        using var theirs = LabNamespace.Create();
        using var client = ours.OpenClient();
        var expected = Enumerable.Range(0, OurServices)
            .Select(i => ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([10, 3, (byte)(i >> 8), (byte)i]), 80))
            .ToHashSet();
        var results = client.Execute(expected.Select(key => (IpvsOperation)new AddService(new IpvsService(key, "rr", IpvsServiceFlags.None, 0, 0xffffffff, null))).ToList());
        Assert.All(results, result => Assert.Null(result.Error));

        using var other = theirs.OpenClient();
        var theirKeys = Enumerable.Range(0, BurstServices)
            .Select(i => ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([10, 4, 0, (byte)i]), 80))
            .ToList();
        for (int i = 0; i < Listings; i++)
        {
            // A burst in the other namespace, as a container runtime's or kube-proxy's sync makes, started before
            // our listing and still running while it is read.
            using var started = new ManualResetEventSlim();
            var burst = Task.Run(() =>
            {
                foreach (var key in theirKeys)
                {
                    other.AddService(new IpvsService(key, "rr", IpvsServiceFlags.None, 0, 0xffffffff, null));
                    started.Set();
                }

                foreach (var key in theirKeys)
                {
                    other.DeleteService(key);
                }
            }, cancellation);
            started.Wait(cancellation);
            var listed = client.GetServices().Select(s => s.Service.Key).ToList();
            await burst;
            Assert.Equal(OurServices, listed.Count);
            Assert.True(expected.SetEquals(listed), $"listing {i}: {expected.Except(listed).Count()} of ours missing");
        }
    }
}
