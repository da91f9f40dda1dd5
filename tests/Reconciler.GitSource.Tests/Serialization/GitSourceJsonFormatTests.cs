using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Diff;
using Reconciler.GitSource.History;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Diagnostics;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Serialization;

/// <summary>
/// The exact text of this assembly's JSON: the audit journal's lines (read back by every later agent), and
/// <c>history --json</c> and <c>diff --json</c> (read by scripts and CI). A change of serializer must not change a byte.
/// </summary>
public sealed class GitSourceJsonFormatTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(1));

    private static CommitInfo Commit(string sha, string subject) =>
        new(sha, "Alice", "alice@example.com", T0.AddHours(-2), "CI", "ci@example.com", T0.AddHours(-1), subject) { Signer = "alice@example.com" };

    private static AuditEntry Applied => AuditEntry.For(T0, "lb1", Commit("aaaa1111", "Weight 5 → 10 <web> & \"api\""), AuditOutcome.Applied,
        ["poll", "drift"], new AuditPlanSummary(1, 2, 3, 1), operationsApplied: 6, result: "applied");

    private static AuditEntry Rejected => AuditEntry.For(T0.AddMinutes(1), "lb1", Commit("bbbb2222", "Break it"), AuditOutcome.Rejected,
        ["topology/lb.yaml:8:11: error: bad"], rejection: RejectionKind.Invalid);

    private static AuditEntry Failed => new(T0.AddMinutes(2), "lb1", "cccc3333", null, null, null, AuditOutcome.Failed, [], null, 1, 2, null);

    private static void Same(string expected, string actual) => Assert.Equal(expected, actual);

    [Fact]
    public void AuditJournal_Lines_AreExactlyTheJournalForm()
    {
        Same(AppliedLine, AuditJournal.Serialize(Applied));
        Same(RejectedLine, AuditJournal.Serialize(Rejected));
        Same(FailedLine, AuditJournal.Serialize(Failed));
    }

    [Fact]
    public void AuditJournal_LinesWrittenBefore_ReadBackAsTheSameEntries()
    {
        using var temp = new TempDirectory();
        var journal = AuditJournal.InStateDirectory(temp.Path);
        File.WriteAllText(journal.Path, AppliedLine + "\n" + RejectedLine + "\n" + FailedLine + "\n");

        var read = journal.Read();

        Assert.Equal(0, read.SkippedLines);
        Assert.Equal([AppliedLine, RejectedLine, FailedLine], read.Entries.Select(AuditJournal.Serialize));
        Assert.Equal(RejectionKind.Invalid, read.Entries[1].Rejection);
        Assert.Equal(new AuditPlanSummary(1, 2, 3, 1), read.Entries[0].Plan);
        Assert.Equal(T0.AddHours(-1), read.Entries[0].CommitTime);
        Assert.Equal(FailedLine, AuditJournal.Serialize(journal.FindLast(e => e.Outcome == AuditOutcome.Failed)!));
    }

    [Fact]
    public void History_Json_IsExactlyTheDocumentedForm()
    {
        var report = new HistoryReport(
            "lb1",
            "topology",
            [
                new HistoryRow("aaaa1111", "Alice <alice@example.com>", T0.AddHours(-1), "Weight", true, [Rejected, Applied]) { Committer = "CI <ci@example.com>", Signer = "alice@example.com" },
                new HistoryRow("dddd4444", null, null, null, false, []),
            ],
            2);

        Same(HistoryJson, HistoryRenderer.RenderJson(report));
    }

    [Fact]
    public void Diff_Json_IsExactlyTheDocumentedForm()
    {
        Same(DiffJson, TopologyDiffRenderer.RenderJson(DiffOf(Samples.Seed, Edit(Samples.Seed, Weight, AddRealServer, MoveVipOut, MoveVipIn, Priority))));
        Same(InvalidDiffJson, TopologyDiffRenderer.RenderJson(DiffOf(Samples.Seed, Samples.Invalid)));
        var handMade = new TopologyDiff(
            "old",
            "new",
            false,
            true,
            [Diagnostic.Warning("odd-name", "it's <web> & \"api\" → ü", null, "/services/0")],
            [new DiffEntry("service", "web", "TCP 10.0.0.1:80", DiffAction.Removed, [new FieldChange("weight", "1", "2")], [new DiffEntry("realServer", "10.0.0.2:80", null, DiffAction.Added, [], [])])],
            [new VipMove("10.0.0.9/32", "VI_1", "VI_2")],
            [new NodeDiff("lb1", []), new NodeDiff("lb2", [new DiffEntry("vrrp", "VI_1", "priority 100", DiffAction.Changed, [], [])])]);
        Same(HandMadeDiffJson, TopologyDiffRenderer.RenderJson(handMade));
    }

    private const string AppliedLine = """{"time":"2026-03-04T05:06:07.89+01:00","node":"lb1","commit":"aaaa1111","author":"Alice \u003Calice@example.com\u003E","committer":"CI \u003Cci@example.com\u003E","subject":"Weight 5 \u2192 10 \u003Cweb\u003E \u0026 \u0022api\u0022","outcome":"applied","reasons":["poll","drift"],"plan":{"adds":1,"changes":2,"destroys":3,"drift":1},"operationsApplied":6,"operationsFailed":0,"result":"applied","commitTime":"2026-03-04T04:06:07.89+01:00","signer":"alice@example.com"}""";

    private const string RejectedLine = """{"time":"2026-03-04T05:07:07.89+01:00","node":"lb1","commit":"bbbb2222","author":"Alice \u003Calice@example.com\u003E","committer":"CI \u003Cci@example.com\u003E","subject":"Break it","outcome":"rejected","reasons":["topology/lb.yaml:8:11: error: bad"],"operationsApplied":0,"operationsFailed":0,"rejection":"invalid","commitTime":"2026-03-04T04:06:07.89+01:00","signer":"alice@example.com"}""";

    private const string FailedLine = """{"time":"2026-03-04T05:08:07.89+01:00","node":"lb1","commit":"cccc3333","outcome":"failed","reasons":[],"operationsApplied":1,"operationsFailed":2}""";

    private const string HistoryJson = """
        {
          "node": "lb1",
          "path": "topology",
          "unreadableJournalLines": 2,
          "commits": [
            {
              "commit": "aaaa1111",
              "author": "Alice \u003Calice@example.com\u003E",
              "committer": "CI \u003Cci@example.com\u003E",
              "signer": "alice@example.com",
              "commitTime": "2026-03-04T04:06:07.89+01:00",
              "subject": "Weight",
              "onBranch": true,
              "status": "applied",
              "appliedAt": "2026-03-04T05:06:07.89+01:00",
              "entries": [
                {
                  "time": "2026-03-04T05:07:07.89+01:00",
                  "node": "lb1",
                  "commit": "bbbb2222",
                  "author": "Alice \u003Calice@example.com\u003E",
                  "committer": "CI \u003Cci@example.com\u003E",
                  "subject": "Break it",
                  "outcome": "rejected",
                  "reasons": [
                    "topology/lb.yaml:8:11: error: bad"
                  ],
                  "operationsApplied": 0,
                  "operationsFailed": 0,
                  "rejection": "invalid",
                  "commitTime": "2026-03-04T04:06:07.89+01:00",
                  "signer": "alice@example.com"
                },
                {
                  "time": "2026-03-04T05:06:07.89+01:00",
                  "node": "lb1",
                  "commit": "aaaa1111",
                  "author": "Alice \u003Calice@example.com\u003E",
                  "committer": "CI \u003Cci@example.com\u003E",
                  "subject": "Weight 5 \u2192 10 \u003Cweb\u003E \u0026 \u0022api\u0022",
                  "outcome": "applied",
                  "reasons": [
                    "poll",
                    "drift"
                  ],
                  "plan": {
                    "adds": 1,
                    "changes": 2,
                    "destroys": 3,
                    "drift": 1
                  },
                  "operationsApplied": 6,
                  "operationsFailed": 0,
                  "result": "applied",
                  "commitTime": "2026-03-04T04:06:07.89+01:00",
                  "signer": "alice@example.com"
                }
              ]
            },
            {
              "commit": "dddd4444",
              "onBranch": false,
              "status": "not seen",
              "entries": []
            }
          ]
        }
        """;

    private const string DiffJson = """
        {
          "oldRevision": "1111111aaaaa",
          "newRevision": "2222222bbbbb",
          "oldIsValid": true,
          "newIsValid": true,
          "hasChanges": true,
          "exitCode": 2,
          "summary": {
            "added": 1,
            "changed": 3,
            "removed": 0
          },
          "diagnostics": [],
          "entries": [
            {
              "kind": "vrrpInstance",
              "name": "VI_1",
              "action": "changed",
              "changes": [
                {
                  "field": "priorities.lb2",
                  "old": "80",
                  "new": "90"
                },
                {
                  "field": "virtualAddresses",
                  "old": "[192.168.1.120/32, 192.168.1.122/32]",
                  "new": "[192.168.1.120/32]"
                }
              ],
              "children": []
            },
            {
              "kind": "vrrpInstance",
              "name": "VI_2",
              "action": "changed",
              "changes": [
                {
                  "field": "virtualAddresses",
                  "old": "[192.168.1.121/32]",
                  "new": "[192.168.1.121/32, 192.168.1.122/32]"
                }
              ],
              "children": []
            },
            {
              "kind": "service",
              "name": "api",
              "detail": "TCP 192.168.1.121:8080",
              "action": "changed",
              "changes": [],
              "children": [
                {
                  "kind": "realServer",
                  "name": "10.0.0.13:8080",
                  "detail": "weight 3, nat",
                  "action": "added",
                  "changes": [],
                  "children": []
                }
              ]
            },
            {
              "kind": "service",
              "name": "web",
              "detail": "TCP 192.168.1.120:80",
              "action": "changed",
              "changes": [],
              "children": [
                {
                  "kind": "realServer",
                  "name": "192.168.1.104:80",
                  "action": "changed",
                  "changes": [
                    {
                      "field": "weight",
                      "old": "5",
                      "new": "10"
                    }
                  ],
                  "children": []
                }
              ]
            }
          ],
          "vipMoves": [
            {
              "address": "192.168.1.122/32",
              "from": "VI_1",
              "to": "VI_2"
            }
          ],
          "nodes": [
            {
              "node": "lb1",
              "changes": [
                {
                  "kind": "ipvsService",
                  "name": "TCP 192.168.1.120:80",
                  "detail": "web",
                  "action": "changed",
                  "changes": [],
                  "children": [
                    {
                      "kind": "destination",
                      "name": "192.168.1.104:80",
                      "action": "changed",
                      "changes": [
                        {
                          "field": "weight",
                          "old": "5",
                          "new": "10"
                        }
                      ],
                      "children": []
                    }
                  ]
                },
                {
                  "kind": "ipvsService",
                  "name": "TCP 192.168.1.121:8080",
                  "detail": "api",
                  "action": "changed",
                  "changes": [],
                  "children": [
                    {
                      "kind": "destination",
                      "name": "10.0.0.13:8080",
                      "detail": "weight 3",
                      "action": "added",
                      "changes": [],
                      "children": []
                    }
                  ]
                },
                {
                  "kind": "vrrp",
                  "name": "VI_1",
                  "action": "changed",
                  "changes": [
                    {
                      "field": "virtualAddresses",
                      "old": "[192.168.1.120/32, 192.168.1.122/32]",
                      "new": "[192.168.1.120/32]"
                    }
                  ],
                  "children": []
                },
                {
                  "kind": "vrrp",
                  "name": "VI_2",
                  "action": "changed",
                  "changes": [
                    {
                      "field": "virtualAddresses",
                      "old": "[192.168.1.121/32]",
                      "new": "[192.168.1.121/32, 192.168.1.122/32]"
                    }
                  ],
                  "children": []
                }
              ],
              "hasChanges": true
            },
            {
              "node": "lb2",
              "changes": [
                {
                  "kind": "ipvsService",
                  "name": "TCP 192.168.1.120:80",
                  "detail": "web",
                  "action": "changed",
                  "changes": [],
                  "children": [
                    {
                      "kind": "destination",
                      "name": "192.168.1.104:80",
                      "action": "changed",
                      "changes": [
                        {
                          "field": "weight",
                          "old": "5",
                          "new": "10"
                        }
                      ],
                      "children": []
                    }
                  ]
                },
                {
                  "kind": "ipvsService",
                  "name": "TCP 192.168.1.121:8080",
                  "detail": "api",
                  "action": "changed",
                  "changes": [],
                  "children": [
                    {
                      "kind": "destination",
                      "name": "10.0.0.13:8080",
                      "detail": "weight 3",
                      "action": "added",
                      "changes": [],
                      "children": []
                    }
                  ]
                },
                {
                  "kind": "vrrp",
                  "name": "VI_1",
                  "action": "changed",
                  "changes": [
                    {
                      "field": "priority",
                      "old": "80",
                      "new": "90"
                    },
                    {
                      "field": "virtualAddresses",
                      "old": "[192.168.1.120/32, 192.168.1.122/32]",
                      "new": "[192.168.1.120/32]"
                    }
                  ],
                  "children": []
                },
                {
                  "kind": "vrrp",
                  "name": "VI_2",
                  "action": "changed",
                  "changes": [
                    {
                      "field": "virtualAddresses",
                      "old": "[192.168.1.121/32]",
                      "new": "[192.168.1.121/32, 192.168.1.122/32]"
                    }
                  ],
                  "children": []
                }
              ],
              "hasChanges": true
            }
          ]
        }
        """;

    private const string InvalidDiffJson = """
        {
          "oldRevision": "1111111aaaaa",
          "newRevision": "2222222bbbbb",
          "oldIsValid": true,
          "newIsValid": false,
          "hasChanges": false,
          "exitCode": 1,
          "summary": {
            "added": 0,
            "changed": 0,
            "removed": 0
          },
          "diagnostics": [
            {
              "severity": "error",
              "code": "schema",
              "message": "services[0].port: 70000 is greater than the maximum 65535",
              "file": "topology/lb.yaml",
              "line": 8,
              "column": 11,
              "path": "/services/0/port"
            },
            {
              "severity": "error",
              "code": "schema",
              "message": "services[0].realServers[0].weight: 70000 is greater than the maximum 65535",
              "file": "topology/lb.yaml",
              "line": 13,
              "column": 17,
              "path": "/services/0/realServers/0/weight"
            }
          ],
          "entries": [],
          "vipMoves": [],
          "nodes": []
        }
        """;

    private const string HandMadeDiffJson = """
        {
          "oldRevision": "old",
          "newRevision": "new",
          "oldIsValid": false,
          "newIsValid": true,
          "hasChanges": true,
          "exitCode": 2,
          "summary": {
            "added": 1,
            "changed": 0,
            "removed": 1
          },
          "diagnostics": [
            {
              "severity": "warning",
              "code": "odd-name",
              "message": "it's <web> & \"api\" → ü",
              "path": "/services/0"
            }
          ],
          "entries": [
            {
              "kind": "service",
              "name": "web",
              "detail": "TCP 10.0.0.1:80",
              "action": "removed",
              "changes": [
                {
                  "field": "weight",
                  "old": "1",
                  "new": "2"
                }
              ],
              "children": [
                {
                  "kind": "realServer",
                  "name": "10.0.0.2:80",
                  "action": "added",
                  "changes": [],
                  "children": []
                }
              ]
            }
          ],
          "vipMoves": [
            {
              "address": "10.0.0.9/32",
              "from": "VI_1",
              "to": "VI_2"
            }
          ],
          "nodes": [
            {
              "node": "lb1",
              "changes": [],
              "hasChanges": false
            },
            {
              "node": "lb2",
              "changes": [
                {
                  "kind": "vrrp",
                  "name": "VI_1",
                  "detail": "priority 100",
                  "action": "changed",
                  "changes": [],
                  "children": []
                }
              ],
              "hasChanges": true
            }
          ]
        }
        """;
}
