using System.Text.Json;
using Reconciler.Agent.RealServer;
using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.RealServer;

public sealed class ArpSysctlGuardTests : IDisposable
{
    private const string ArpIgnore = "net.ipv4.conf.all.arp_ignore";
    private const string ArpAnnounce = "net.ipv4.conf.all.arp_announce";

    private readonly TempDirectory _state = new();
    private readonly FakeSysctl _sysctl = new(arpIgnore: "0", arpAnnounce: "0");

    private string SavedPath => _state.File("arp-sysctl.json");

    public void Dispose() => _state.Dispose();

    private Dictionary<string, string>? Saved() =>
        File.Exists(SavedPath) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SavedPath)) : null;

    [Fact]
    public void Apply_Needed_SetsIgnore1Announce2AndSavedTheOriginalsBeforeTheFirstWrite()
    {
        var savedAtFirstWrite = new List<Dictionary<string, string>?>();
        _sysctl.BeforeWrite = (_, _) => savedAtFirstWrite.Add(Saved());

        var changes = new ArpSysctlGuard(_sysctl, _state.Path).Apply(needed: true);

        Assert.Equal("1", _sysctl.Values[ArpIgnore]);
        Assert.Equal("2", _sysctl.Values[ArpAnnounce]);
        Assert.Equal([$"{ArpIgnore} 0 -> 1", $"{ArpAnnounce} 0 -> 2"], changes);
        var expected = new Dictionary<string, string> { [ArpIgnore] = "0", [ArpAnnounce] = "0" };
        Assert.Equal(expected, savedAtFirstWrite[0]);
        Assert.Equal(expected, Saved());
    }

    [Fact]
    public void Apply_NeededTwice_OriginalsNotOverwrittenBySecondApply()
    {
        var guard = new ArpSysctlGuard(_sysctl, _state.Path);
        guard.Apply(needed: true);

        var changes = guard.Apply(needed: true);

        Assert.Empty(changes);
        Assert.Equal(2, _sysctl.Writes.Count);
        Assert.Equal("0", Saved()![ArpIgnore]);
    }

    [Fact]
    public void Apply_NoLongerNeeded_RestoresTheOriginalsAndDeletesTheFile()
    {
        _sysctl.Values[ArpIgnore] = "2";
        _sysctl.Values[ArpAnnounce] = "1";
        var guard = new ArpSysctlGuard(_sysctl, _state.Path);
        guard.Apply(needed: true);

        var changes = guard.Apply(needed: false);

        Assert.Equal("2", _sysctl.Values[ArpIgnore]);
        Assert.Equal("1", _sysctl.Values[ArpAnnounce]);
        Assert.Equal([$"{ArpIgnore} 1 -> 2", $"{ArpAnnounce} 2 -> 1"], changes);
        Assert.False(File.Exists(SavedPath));
    }

    [Fact]
    public void Apply_RestartInBetween_NewGuardStillRestoresTheOriginals()
    {
        new ArpSysctlGuard(_sysctl, _state.Path).Apply(needed: true);

        var restarted = new ArpSysctlGuard(_sysctl, _state.Path);
        Assert.Empty(restarted.Apply(needed: true));
        restarted.Apply(needed: false);

        Assert.Equal("0", _sysctl.Values[ArpIgnore]);
        Assert.Equal("0", _sysctl.Values[ArpAnnounce]);
        Assert.False(File.Exists(SavedPath));
    }

    [Fact]
    public void Apply_ValuesAlreadyRight_NoWrites()
    {
        var sysctl = new FakeSysctl(arpIgnore: "1", arpAnnounce: "2");
        var guard = new ArpSysctlGuard(sysctl, _state.Path);

        Assert.Empty(guard.Apply(needed: true));
        Assert.Empty(guard.Apply(needed: false));

        Assert.Empty(sysctl.Writes);
        Assert.Equal("1", sysctl.Values[ArpIgnore]);
        Assert.Equal("2", sysctl.Values[ArpAnnounce]);
    }

    [Fact]
    public void Apply_NeverNeeded_NothingReadWrittenOrSaved()
    {
        var changes = new ArpSysctlGuard(_sysctl, _state.Path).Apply(needed: false);

        Assert.Empty(changes);
        Assert.Empty(_sysctl.Writes);
        Assert.False(File.Exists(SavedPath));
    }

    [Fact]
    public void Apply_StateFolderMissing_CreatedForTheSavedValues()
    {
        var folder = Path.Combine(_state.Path, "not", "yet");

        new ArpSysctlGuard(_sysctl, folder).Apply(needed: true);

        Assert.True(File.Exists(Path.Combine(folder, "arp-sysctl.json")));
    }
}
