using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Metrics;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Tests.Fakes;
using Reconciler.Topology.Model;

namespace Reconciler.Agent.Tests.Faults;

/// <summary>
/// The state folder failing under the agent (the tests run as root, so "unwritable" is made with paths that cannot
/// be written by anyone: a directory where the ownership record or the journal goes, or a state folder below a
/// regular file). The agent must report it, never throw out of a reconcile, and leave the kernel as it is.
/// </summary>
public sealed class StateFolderFaultTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new(Polls.Epoch);
    private readonly FakeIpvsClient _ipvs = new();
    private readonly FakeNodeAddresses _addresses = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string State => _root.File("state");

    private string Ownership => Path.Combine(State, "ownership.json");

    private string Journal => Path.Combine(State, "audit.jsonl");

    [Fact]
    public async Task Reconcile_OwnershipPathIsADirectory_FailsWithClearErrorAndKernelUntouched()
    {
        Directory.CreateDirectory(Ownership);
        await using var agent = NewAgent(State, Polls.NewValid("Add web and dns", Topologies.Plain));
        await agent.PollAsync(Token);

        var view = agent.Reconcile(["test"]);

        Assert.StartsWith("failed: ", view.Result, StringComparison.Ordinal);
        Assert.Contains("ownership.json", view.Result, StringComparison.Ordinal);
        Assert.Equal(0, _ipvs.WriteRequests);
        Assert.Empty(_ipvs.GetAll());
        var status = agent.GetStatus();
        Assert.Equal(view, status.LastReconcile);
        Assert.Contains(status.Errors, e => e.Source == "reconcile" && e.Message.Contains("ownership.json", StringComparison.Ordinal));
        Assert.Equal(1, PrometheusText.Parse(agent.WriteMetrics()).Value("reconciler_reconciles_total", ("result", "failed")));
        TestContext.Current.SendDiagnosticMessage("status: " + view.Result);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("corrupt")]
    [InlineData("empty")]
    public async Task Reconcile_OwnershipRecordDamaged_FailsNamingTheFileAndTheWayOut_KernelUntouched_MovedAsideRecovers(string damage)
    {
        await using var agent = await AppliedWithAThirdServerCommitNextAsync();
        var kernel = Snapshot();
        var writes = _ipvs.WriteRequests;
        Damage(Ownership, damage);

        await agent.PollAsync(Token);
        var failed = agent.Reconcile(["test"]);
        var again = agent.Reconcile(["drift timer"]);

        // Said clearly: which file, and the ways out.
        Assert.StartsWith($"failed: {Ownership}: the ownership record", failed.Result, StringComparison.Ordinal);
        Assert.Contains("cannot be read", failed.Result, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", failed.Result, StringComparison.Ordinal);
        Assert.Contains($"mv {Ownership} {Ownership}.damaged", failed.Result, StringComparison.Ordinal);
        Assert.Equal(failed.Result, again.Result);

        // Traffic stays as it is: not one kernel write, for the new commit or for the drift timer.
        Assert.Equal(kernel, Snapshot());
        Assert.Equal(writes, _ipvs.WriteRequests);

        // Still reporting: the status and the metrics tell of each failed reconcile.
        var status = agent.GetStatus();
        Assert.Equal(again, status.LastReconcile);
        Assert.Contains(status.Errors, e => e.Source == "reconcile" && e.Message.Contains(Ownership, StringComparison.Ordinal) && e.Message.Contains("mv ", StringComparison.Ordinal));
        Assert.Equal(2, PrometheusText.Parse(agent.WriteMetrics()).Value("reconciler_reconciles_total", ("result", "failed")));
        TestContext.Current.SendDiagnosticMessage($"{damage}: {failed.Result}");

        // The way out the message gives: moved aside, the agent starts a new record, adopts what the kernel has and
        // applies the commit.
        File.Move(Ownership, Ownership + ".damaged");
        var recovered = agent.Reconcile(["test"]);

        Assert.Equal("applied", recovered.Result);
        Assert.Equal(1, recovered.Operations);
        Assert.Contains("10.0.1.3:8080", Snapshot(), StringComparison.Ordinal);
        Assert.Contains("10.0.1.3", await File.ReadAllTextAsync(Ownership, Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_OwnershipBecomesUnwritableAfterAnApply_NextCommitNotAppliedKernelKeepsItsStateThenRecovers()
    {
        await using var agent = await AppliedWithAThirdServerCommitNextAsync();
        var kernel = Snapshot();
        var writes = _ipvs.WriteRequests;

        File.Move(Ownership, Ownership + ".aside");
        Directory.CreateDirectory(Ownership);
        await agent.PollAsync(Token);
        var failed = agent.Reconcile(["test"]);
        var drift = agent.Reconcile(["drift timer"]);

        Assert.StartsWith("failed: ", failed.Result, StringComparison.Ordinal);
        Assert.StartsWith("failed: ", drift.Result, StringComparison.Ordinal);
        Assert.Equal(kernel, Snapshot());
        Assert.Equal(writes, _ipvs.WriteRequests);

        Directory.Delete(Ownership);
        File.Move(Ownership + ".aside", Ownership);
        var recovered = agent.Reconcile(["test"]);

        Assert.Equal("applied", recovered.Result);
        Assert.Equal(1, recovered.Operations);
        Assert.Contains("10.0.1.3:8080", Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_OwnershipSaveFailsAfterTheKernelChanged_ReportedAndTheNextReconcileFindsNothingOrphaned()
    {
        // lb1 is a DR real server of its own VIP: the plan adds IPVS objects and 10.0.0.100 on lo. The ownership record
        // with the intent is saved before the first kernel write; the record is made unwritable during the apply, so
        // the save after it fails.
        var hooked = new HookedAddresses(_addresses);
        await using var agent = NewAgent(State, hooked, Polls.NewValid("DR web", Topologies.DirectRouting));
        await agent.PollAsync(Token);
        hooked.BeforeAdd = () =>
        {
            File.Move(Ownership, Ownership + ".aside");
            Directory.CreateDirectory(Ownership);
        };

        var view = agent.Reconcile(["test"]);

        Assert.StartsWith("failed: ", view.Result, StringComparison.Ordinal);
        Assert.Contains(_addresses.GetAddresses(), a => a.Interface == "lo" && a.Address.ToString().StartsWith("10.0.0.100", StringComparison.Ordinal));
        Assert.NotEmpty(_ipvs.GetAll());
        var kernel = Snapshot();

        hooked.BeforeAdd = null;
        Directory.Delete(Ownership);
        File.Move(Ownership + ".aside", Ownership); // the intent record: everything the apply was about to create
        var next = agent.Reconcile(["test"]);

        Assert.Equal("no changes", next.Result);
        Assert.Equal(kernel, Snapshot());
        var record = await File.ReadAllTextAsync(Ownership, Token);
        Assert.Contains("10.0.0.100", record, StringComparison.Ordinal);
        // The journal tells it as it happened: the commit's apply failed, then the retry completed it (never
        // "skipped: no changes for this node").
        var outcomes = AuditJournal.InStateDirectory(State).Read().Entries.Select(e => e.Outcome).ToList();
        Assert.Equal([AuditOutcome.Failed, AuditOutcome.Applied], outcomes);
    }

    [Fact]
    public async Task Reconcile_AuditJournalIsADirectory_AppliedAndTheJournalFailureReported()
    {
        Directory.CreateDirectory(Journal);
        await using var agent = NewAgent(State, Polls.NewValid("Add web and dns", Topologies.Plain));
        await agent.PollAsync(Token);

        var view = agent.Reconcile(["test"]);

        Assert.Equal("applied", view.Result);
        Assert.Equal(2, _ipvs.GetAll().Count);
        Assert.Contains(agent.GetStatus().Errors, e => e.Source == "audit" && e.Message.Contains("cannot write the audit journal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PollAsync_RejectedCommitWithAuditJournalUnwritable_RejectionStillReported()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var agent = NewAgent(State, Polls.NewValid(good), Polls.Rejected("Broken", good, "port out of range"));
        await agent.PollAsync(Token);
        agent.Reconcile(["test"]);
        var kernel = Snapshot();
        Directory.CreateDirectory(Journal + ".d");
        File.Move(Journal, Journal + ".d/moved");
        Directory.CreateDirectory(Journal);

        var result = await agent.PollAsync(Token);
        var view = agent.Reconcile(["test"]);

        Assert.IsType<PollResult.Rejected>(result);
        Assert.Equal("no changes", view.Result);
        Assert.Equal(kernel, Snapshot());
        var errors = agent.GetStatus().Errors;
        Assert.Contains(errors, e => e.Source == "git" && e.Message.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Source == "audit");
    }

    [Fact]
    public async Task Reconcile_StateFolderBelowARegularFile_FailsWithClearErrorNeverThrowsKernelUntouched()
    {
        var file = _root.File("not-a-folder");
        await File.WriteAllTextAsync(file, "x", Token);
        var state = Path.Combine(file, "state");
        await using var agent = NewAgent(state, Polls.NewValid("Add web and dns", Topologies.Plain));
        await agent.PollAsync(Token);

        var view = agent.Reconcile(["test"]);
        var again = agent.Reconcile(["drift timer"]);

        Assert.StartsWith("failed: ", view.Result, StringComparison.Ordinal);
        Assert.StartsWith("failed: ", again.Result, StringComparison.Ordinal);
        Assert.Equal(0, _ipvs.WriteRequests);
        var status = agent.GetStatus();
        Assert.Contains(status.Errors, e => e.Source == "reconcile");
        TestContext.Current.SendDiagnosticMessage("status: " + view.Result);
    }

    /// <summary>Damages the ownership record as a full disk, a crash of another writer or a stray edit might.</summary>
    private static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "corrupt" => [.. bytes[..(bytes.Length / 3)], 0x00, 0xff, .. "}}]]"u8.ToArray(), .. bytes[(bytes.Length / 3)..]],
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, null),
        });
    }

    /// <summary>An agent that has applied the web-and-dns topology, with a commit adding a third web server as its next poll.</summary>
    private async Task<NodeAgent> AppliedWithAThirdServerCommitNextAsync()
    {
        var agent = NewAgent(State, Polls.NewValid(Polls.Good("Add web and dns", Topologies.Plain)), Polls.NewValid("Third web server", Topologies.PlainWithThirdServer));
        await agent.PollAsync(Token);
        Assert.Equal("applied", agent.Reconcile(["test"]).Result);
        return agent;
    }

    private NodeAgent NewAgent(string stateDirectory, params PollResult[] script) => NewAgent(stateDirectory, _addresses, script);

    private NodeAgent NewAgent(string stateDirectory, INodeAddresses addresses, params PollResult[] script)
    {
        var settings = new AgentSettings
        {
            Node = "lb1",
            Repository = new RepositorySettings { Url = "https://git.example.com/lb/topology.git" },
            StateDirectory = stateDirectory,
            MinReconcileInterval = TimeSpan.FromSeconds(1),
        };
        return new NodeAgent(settings, new AgentEdges(new ScriptedTopologyFeed(script), _ipvs, addresses, new FakeVrrpRuntimeFactory(), new FakeSysctl()), _time, new CapturingLoggerFactory());
    }

    private string Snapshot() => string.Join(
        "\n",
        _ipvs.GetAll()
            .Select(s => $"{s.Service}: " + string.Join(", ", s.Destinations.Select(d => d.Destination.ToString()).Order(StringComparer.Ordinal)))
            .Concat(_addresses.GetAddresses().Select(a => $"{a.Address} on {a.Interface}"))
            .Order(StringComparer.Ordinal));

    public void Dispose() => _root.Dispose();

    /// <summary>The fake addresses with a hook that runs before each add (in the middle of an apply).</summary>
    private sealed class HookedAddresses(FakeNodeAddresses inner) : INodeAddresses
    {
        public Action? BeforeAdd { get; set; }

        public IReadOnlyList<ObservedAddress> GetAddresses() => inner.GetAddresses();

        public void Add(string interfaceName, InterfaceAddress address)
        {
            BeforeAdd?.Invoke();
            inner.Add(interfaceName, address);
        }

        public void Remove(string interfaceName, InterfaceAddress address) => inner.Remove(interfaceName, address);
    }
}
