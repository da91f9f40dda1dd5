using Microsoft.AspNetCore.Builder;
using Reconciler.Agent.Hosting;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>
/// The agent's host reads no appsettings.json and watches no file: the default host watched its content root
/// recursively (on Linux one inotify watch per directory below it), which from systemd's working directory / meant
/// every directory of the machine.
/// </summary>
[Collection("inotify")] // counts this process's inotify watches: nothing else may create some meanwhile
public sealed class AgentHostOptionsTests
{
    [Fact]
    public async Task Build_WithTheAgentsOptions_ContentRootIsTheProgramFolderAndNothingIsWatched()
    {
        int before = InotifyWatches();

        await using var app = WebApplication.CreateSlimBuilder(AgentHost.HostOptions).Build();

        Assert.Equal(0, InotifyWatches() - before);
        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(app.Environment.ContentRootPath));
    }

    [Fact]
    public async Task Build_WithTheDefaults_WatchesTheContentRootTree_WhatTheAgentsOptionsAvoid()
    {
        using var tree = new Fakes.TempDirectory();
        for (int i = 0; i < 5; i++)
        {
            Directory.CreateDirectory(Path.Combine(tree.Path, "d" + i, "sub"));
        }

        int before = InotifyWatches();

        await using var app = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = tree.Path }).Build();

        Assert.True(InotifyWatches() - before >= 11, "the default host watches the content root and every directory below it");
    }

    /// <summary>Inotify watches this process holds, from /proc/self/fdinfo.</summary>
    private static int InotifyWatches()
    {
        int watches = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.Contains("inotify", StringComparison.Ordinal))
                {
                    watches += File.ReadLines("/proc/self/fdinfo/" + Path.GetFileName(fd)).Count(l => l.StartsWith("inotify", StringComparison.Ordinal));
                }
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }

        return watches;
    }
}
