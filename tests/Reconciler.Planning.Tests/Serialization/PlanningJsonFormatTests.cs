using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;
using Reconciler.Topology.Model;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Serialization;

/// <summary>
/// The exact text of the planning JSON formats (<c>plan --json</c>, saved plans, <c>ownership.json</c>, the agent's
/// <c>/overlay</c>): users, scripts and older agents read them, so a change of serializer must not change a byte.
/// Every step kind, enum, optional field and both service key forms appear.
/// </summary>
public sealed class PlanningJsonFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"reconciler-test-{Guid.NewGuid():N}");

    public PlanningJsonFormatTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly ServiceKey Web = Tcp("10.0.0.100", 80);
    private static readonly ServiceKey Dns6 = ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::53"), 53);
    private static readonly ServiceKey Marked = ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7);

    private static IpvsService Sticky => new(Dns6, "sh", IpvsServiceFlags.Persistent | IpvsServiceFlags.Scheduler1, 300, 128, "sip");

    private static IpvsDestination Tunnelled => new(IPAddress.Parse("10.0.1.5"), 8080, IpvsForwarding.Tunnel, 3, 100, 10, IpvsTunnelType.Gue, 6080, IpvsTunnelFlags.Checksum | IpvsTunnelFlags.RemoteChecksum);

    internal static Plan SamplePlan() => new(
        "lb1",
        [
            new ServiceStep(StepAction.Create, Dns6, "dns", Sticky, [], false, null),
            new ServiceStep(StepAction.Update, Web, null, Service(Web, "rr"), [new FieldChange("scheduler", "wrr", "rr")], true, "changed outside reconciler"),
            new ServiceStep(StepAction.Delete, Marked, "old", null, [], false, "no longer in the topology"),
            new DestinationStep(StepAction.Create, Web, "web", Tunnelled, [], false, null),
            new DestinationStep(StepAction.Drain, Web, "web", Destination("10.0.0.2", weight: 0, forwarding: IpvsForwarding.Masquerade), [new FieldChange("weight", "1", "0")], false, "removed: draining"),
            new AddressStep(StepAction.Create, "eth0", new InterfaceAddress(IPAddress.Parse("192.0.2.10"), 24), "VI_1", false, "master"),
            new AddressStep(StepAction.Delete, "lo", new InterfaceAddress(IPAddress.Parse("2001:db8::10"), 128), null, true, null),
            new SysctlStep(StepAction.Update, "net.ipv4.conf.all.arp_ignore", "0", "1", false, "direct routing"),
            new SyncDaemonStep(StepAction.Update, new IpvsSyncDaemon(IpvsSyncDaemonState.Backup, "eth1", 51, 1400, IPAddress.Parse("239.0.0.81"), 9000, 2), "VI_1", [new FieldChange("port", "8848", "9000")], false, null),
        ],
        [new UnmanagedService(Tcp("10.9.9.9", 8080), 2)],
        [new DrainingDestination(Web, "10.0.0.2:80", 4, 9, Now, Now.AddMinutes(5))],
        "sha256:abc",
        "0123456789abcdef0123456789abcdef01234567");

    internal static OwnershipRecord SampleRecord => new OwnershipRecord(
        [
            new OwnedService(Service(Web, persistence: 50), [new OwnedDestination(Destination("10.0.0.1"), Now), new OwnedDestination(Tunnelled)]),
            new OwnedService(new IpvsService(Marked, "mh", IpvsServiceFlags.Scheduler2, 0, 0xffffffff, null), []),
        ],
        [new OwnedAddress("lo", new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32)), new OwnedAddress("eth0", new InterfaceAddress(IPAddress.Parse("fe80::1"), 64))])
    {
        SysctlOriginals = new Dictionary<string, string>(StringComparer.Ordinal) { ["net.ipv4.conf.all.arp_ignore"] = "0", ["net.ipv4.conf.all.arp_announce"] = "0" },
        SyncDaemons = [new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "eth0", 51)],
    };

    private static DesiredState SampleDesired => new DesiredState(
        "lb1",
        [
            new DesiredService("web", Service(Web), [new DesiredDestination(Destination("10.0.0.1")), new DesiredDestination(Tunnelled, "health: slow")], [new DestinationRemoval(IPAddress.Parse("10.0.0.3"), 80, "removed")]),
            new DesiredService("dns", Sticky, [], [], OnlyIfPresent: true),
        ],
        [new DesiredAddress("lo", new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32), "VI_1", true)])
    {
        Sysctls = [new DesiredSysctl("net.ipv4.conf.all.arp_ignore", "1", "direct routing")],
        VrrpAddresses = [new DesiredAddress("eth0", new InterfaceAddress(IPAddress.Parse("192.0.2.10"), 24), "VI_1", false, Held: true, Reason: "backup")],
        SyncDaemons = [new DesiredSyncDaemon(new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "eth0", 51), "VI_1")],
    };

    private static OverlaySnapshot SampleSnapshot => new(
        "lb1",
        new Dictionary<string, VrrpRole>(StringComparer.Ordinal) { ["VI_1"] = VrrpRole.Master, ["VI_2"] = VrrpRole.Backup, ["VI_3"] = VrrpRole.Unknown },
        [
            new ServiceHealthEntry("web", new ServiceHealth(true, false, "quorum lost"), [new RealServerHealthEntry(IPAddress.Parse("10.0.0.1"), 80, new RealServerHealth(false, null, "check failed")), new RealServerHealthEntry(IPAddress.Parse("2001:db8::1"), 443, new RealServerHealth(true, 5, null))]),
        ],
        TimeSpan.FromSeconds(90));

    private static void Same(string expected, string actual) => Assert.Equal(expected, actual);

    private static string Compacted(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Plan_Json_IsExactlyTheDocumentedForm() =>
        Same(PlanJson, JsonSerializer.Serialize(SamplePlan(), PlanningJson.Options));

    [Fact]
    public void SavedPlan_File_IsExactlyTheDocumentedForm_AndReadsBack()
    {
        var path = Path.Combine(_directory, "plan.json");
        SavedPlan.Of(SamplePlan(), SampleDesired).Write(path);

        Same(SavedPlanJson, File.ReadAllText(path));
        var again = Path.Combine(_directory, "again.json");
        SavedPlan.Read(path).Write(again);
        Same(SavedPlanJson, File.ReadAllText(again));
    }

    [Fact]
    public void OwnershipRecord_File_IsExactlyTheDocumentedForm_AndReadsBack()
    {
        var store = new FileOwnershipStore(Path.Combine(_directory, "ownership.json"));
        store.Save(SampleRecord);

        // The file is the documented form without indentation (every plan and apply reads it whole).
        Same(Compacted(OwnershipJson), File.ReadAllText(store.Path));
        var loaded = store.Load();
        Same(OwnershipJson, JsonSerializer.Serialize(loaded, PlanningJsonContext.Default.OwnershipRecord));
        Assert.Equal(SampleRecord.Services[0].Destinations, loaded.Services[0].Destinations);
        Assert.Equal(SampleRecord.SysctlOriginals.OrderBy(p => p.Key), loaded.SysctlOriginals.OrderBy(p => p.Key));
    }

    [Fact]
    public void OwnershipRecord_WrittenBeforeSysctlOriginals_ReadsWithNoneRatherThanNull()
    {
        var store = new FileOwnershipStore(Path.Combine(_directory, "ownership.json"));
        File.WriteAllText(store.Path, """{"services":[{"settings":{"key":{"family":"ipv4","protocol":"tcp","address":"10.0.0.100","port":80},"scheduler":"wrr","flags":"none","timeoutSeconds":0,"netmask":4294967295},"destinations":[{"settings":{"address":"10.0.0.1","port":80,"forwarding":"direct-route","weight":1,"upperThreshold":0,"lowerThreshold":0}}]}],"addresses":[]}""");

        var loaded = store.Load();

        Assert.Empty(loaded.SysctlOriginals);
        Assert.Equal(Destination("10.0.0.1"), loaded.Services[0].Destinations[0].Settings);
        Assert.Null(loaded.Services[0].Destinations[0].DrainingSince);
    }

    [Fact]
    public void SavedPlan_WrittenBeforeSysctlsAndVrrpAddresses_ReadsWithNoneRatherThanNull()
    {
        var path = Path.Combine(_directory, "plan.json");
        File.WriteAllText(path, """{"formatVersion":1,"plan":{"node":"lb1","steps":[],"unmanaged":[],"draining":[],"observedFingerprint":"x"},"desired":{"node":"lb1","services":[],"addresses":[]}}""");

        var read = SavedPlan.Read(path);

        Assert.Empty(read.Desired.Sysctls);
        Assert.Empty(read.Desired.VrrpAddresses);
        Assert.Null(read.Plan.Revision);
    }

    [Fact]
    public void OverlaySnapshot_Json_IsExactlyTheDocumentedForm_AndReadsBack()
    {
        var json = JsonSerializer.Serialize(SampleSnapshot, PlanningJson.Options);

        Same(OverlayJson, json);
        var read = JsonSerializer.Deserialize<OverlaySnapshot>(json, PlanningJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(read, PlanningJson.Options), json);
    }

    private const string PlanJson = """
        {
          "node": "lb1",
          "steps": [
            {
              "kind": "service",
              "key": {
                "family": "ipv6",
                "protocol": "udp",
                "address": "2001:db8::53",
                "port": 53
              },
              "name": "dns",
              "settings": {
                "key": {
                  "family": "ipv6",
                  "protocol": "udp",
                  "address": "2001:db8::53",
                  "port": 53
                },
                "scheduler": "sh",
                "flags": "persistent, scheduler1",
                "timeoutSeconds": 300,
                "netmask": 128,
                "persistenceEngine": "sip",
                "isPersistent": true
              },
              "changes": [],
              "target": "service dns (UDP [2001:db8::53]:53)",
              "action": "create",
              "isDrift": false
            },
            {
              "kind": "service",
              "key": {
                "family": "ipv4",
                "protocol": "tcp",
                "address": "10.0.0.100",
                "port": 80
              },
              "settings": {
                "key": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "scheduler": "rr",
                "flags": "none",
                "timeoutSeconds": 0,
                "netmask": 4294967295,
                "isPersistent": false
              },
              "changes": [
                {
                  "field": "scheduler",
                  "old": "wrr",
                  "new": "rr"
                }
              ],
              "target": "service TCP 10.0.0.100:80",
              "action": "update",
              "isDrift": true,
              "reason": "changed outside reconciler"
            },
            {
              "kind": "service",
              "key": {
                "family": "ipv4",
                "firewallMark": 7
              },
              "name": "old",
              "changes": [],
              "target": "service old (FWM 7)",
              "action": "delete",
              "isDrift": false,
              "reason": "no longer in the topology"
            },
            {
              "kind": "realServer",
              "service": {
                "family": "ipv4",
                "protocol": "tcp",
                "address": "10.0.0.100",
                "port": 80
              },
              "serviceName": "web",
              "settings": {
                "address": "10.0.1.5",
                "port": 8080,
                "forwarding": "tunnel",
                "weight": 3,
                "upperThreshold": 100,
                "lowerThreshold": 10,
                "tunnelType": "gue",
                "tunnelPort": 6080,
                "tunnelFlags": "checksum, remote-checksum",
                "endpoint": "10.0.1.5:8080"
              },
              "changes": [],
              "target": "real server 10.0.1.5:8080 of web (TCP 10.0.0.100:80)",
              "action": "create",
              "isDrift": false
            },
            {
              "kind": "realServer",
              "service": {
                "family": "ipv4",
                "protocol": "tcp",
                "address": "10.0.0.100",
                "port": 80
              },
              "serviceName": "web",
              "settings": {
                "address": "10.0.0.2",
                "port": 80,
                "forwarding": "masquerade",
                "weight": 0,
                "upperThreshold": 0,
                "lowerThreshold": 0,
                "tunnelType": "ipip",
                "tunnelPort": 0,
                "tunnelFlags": "none",
                "endpoint": "10.0.0.2:80"
              },
              "changes": [
                {
                  "field": "weight",
                  "old": "1",
                  "new": "0"
                }
              ],
              "target": "real server 10.0.0.2:80 of web (TCP 10.0.0.100:80)",
              "action": "drain",
              "isDrift": false,
              "reason": "removed: draining"
            },
            {
              "kind": "address",
              "interface": "eth0",
              "address": "192.0.2.10/24",
              "instance": "VI_1",
              "target": "address 192.0.2.10/24 on eth0 (VRRP VI_1)",
              "action": "create",
              "isDrift": false,
              "reason": "master"
            },
            {
              "kind": "address",
              "interface": "lo",
              "address": "2001:db8::10/128",
              "target": "address 2001:db8::10/128 on lo",
              "action": "delete",
              "isDrift": true
            },
            {
              "kind": "sysctl",
              "name": "net.ipv4.conf.all.arp_ignore",
              "old": "0",
              "new": "1",
              "target": "sysctl net.ipv4.conf.all.arp_ignore",
              "action": "update",
              "isDrift": false,
              "reason": "direct routing"
            },
            {
              "kind": "syncDaemon",
              "settings": {
                "state": "backup",
                "multicastInterface": "eth1",
                "syncId": 51,
                "syncMaxLength": 1400,
                "multicastGroup": "239.0.0.81",
                "multicastPort": 9000,
                "multicastTtl": 2
              },
              "instance": "VI_1",
              "changes": [
                {
                  "field": "port",
                  "old": "8848",
                  "new": "9000"
                }
              ],
              "target": "connection sync backup daemon on eth1 (sync id 51, VRRP VI_1)",
              "action": "update",
              "isDrift": false
            }
          ],
          "unmanaged": [
            {
              "key": {
                "family": "ipv4",
                "protocol": "tcp",
                "address": "10.9.9.9",
                "port": 8080
              },
              "destinations": 2
            }
          ],
          "draining": [
            {
              "service": {
                "family": "ipv4",
                "protocol": "tcp",
                "address": "10.0.0.100",
                "port": 80
              },
              "endpoint": "10.0.0.2:80",
              "activeConnections": 4,
              "inactiveConnections": 9,
              "since": "2026-11-25T12:00:00+00:00",
              "deadline": "2026-11-25T12:05:00+00:00"
            }
          ],
          "observedFingerprint": "sha256:abc",
          "revision": "0123456789abcdef0123456789abcdef01234567",
          "hasChanges": true,
          "summary": {
            "toAdd": 3,
            "toChange": 4,
            "toDestroy": 2,
            "drift": 2
          }
        }
        """;

    private const string SavedPlanJson = """
        {
          "formatVersion": 1,
          "plan": {
            "node": "lb1",
            "steps": [
              {
                "kind": "service",
                "key": {
                  "family": "ipv6",
                  "protocol": "udp",
                  "address": "2001:db8::53",
                  "port": 53
                },
                "name": "dns",
                "settings": {
                  "key": {
                    "family": "ipv6",
                    "protocol": "udp",
                    "address": "2001:db8::53",
                    "port": 53
                  },
                  "scheduler": "sh",
                  "flags": "persistent, scheduler1",
                  "timeoutSeconds": 300,
                  "netmask": 128,
                  "persistenceEngine": "sip",
                  "isPersistent": true
                },
                "changes": [],
                "target": "service dns (UDP [2001:db8::53]:53)",
                "action": "create",
                "isDrift": false
              },
              {
                "kind": "service",
                "key": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "settings": {
                  "key": {
                    "family": "ipv4",
                    "protocol": "tcp",
                    "address": "10.0.0.100",
                    "port": 80
                  },
                  "scheduler": "rr",
                  "flags": "none",
                  "timeoutSeconds": 0,
                  "netmask": 4294967295,
                  "isPersistent": false
                },
                "changes": [
                  {
                    "field": "scheduler",
                    "old": "wrr",
                    "new": "rr"
                  }
                ],
                "target": "service TCP 10.0.0.100:80",
                "action": "update",
                "isDrift": true,
                "reason": "changed outside reconciler"
              },
              {
                "kind": "service",
                "key": {
                  "family": "ipv4",
                  "firewallMark": 7
                },
                "name": "old",
                "changes": [],
                "target": "service old (FWM 7)",
                "action": "delete",
                "isDrift": false,
                "reason": "no longer in the topology"
              },
              {
                "kind": "realServer",
                "service": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "serviceName": "web",
                "settings": {
                  "address": "10.0.1.5",
                  "port": 8080,
                  "forwarding": "tunnel",
                  "weight": 3,
                  "upperThreshold": 100,
                  "lowerThreshold": 10,
                  "tunnelType": "gue",
                  "tunnelPort": 6080,
                  "tunnelFlags": "checksum, remote-checksum",
                  "endpoint": "10.0.1.5:8080"
                },
                "changes": [],
                "target": "real server 10.0.1.5:8080 of web (TCP 10.0.0.100:80)",
                "action": "create",
                "isDrift": false
              },
              {
                "kind": "realServer",
                "service": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "serviceName": "web",
                "settings": {
                  "address": "10.0.0.2",
                  "port": 80,
                  "forwarding": "masquerade",
                  "weight": 0,
                  "upperThreshold": 0,
                  "lowerThreshold": 0,
                  "tunnelType": "ipip",
                  "tunnelPort": 0,
                  "tunnelFlags": "none",
                  "endpoint": "10.0.0.2:80"
                },
                "changes": [
                  {
                    "field": "weight",
                    "old": "1",
                    "new": "0"
                  }
                ],
                "target": "real server 10.0.0.2:80 of web (TCP 10.0.0.100:80)",
                "action": "drain",
                "isDrift": false,
                "reason": "removed: draining"
              },
              {
                "kind": "address",
                "interface": "eth0",
                "address": "192.0.2.10/24",
                "instance": "VI_1",
                "target": "address 192.0.2.10/24 on eth0 (VRRP VI_1)",
                "action": "create",
                "isDrift": false,
                "reason": "master"
              },
              {
                "kind": "address",
                "interface": "lo",
                "address": "2001:db8::10/128",
                "target": "address 2001:db8::10/128 on lo",
                "action": "delete",
                "isDrift": true
              },
              {
                "kind": "sysctl",
                "name": "net.ipv4.conf.all.arp_ignore",
                "old": "0",
                "new": "1",
                "target": "sysctl net.ipv4.conf.all.arp_ignore",
                "action": "update",
                "isDrift": false,
                "reason": "direct routing"
              },
              {
                "kind": "syncDaemon",
                "settings": {
                  "state": "backup",
                  "multicastInterface": "eth1",
                  "syncId": 51,
                  "syncMaxLength": 1400,
                  "multicastGroup": "239.0.0.81",
                  "multicastPort": 9000,
                  "multicastTtl": 2
                },
                "instance": "VI_1",
                "changes": [
                  {
                    "field": "port",
                    "old": "8848",
                    "new": "9000"
                  }
                ],
                "target": "connection sync backup daemon on eth1 (sync id 51, VRRP VI_1)",
                "action": "update",
                "isDrift": false
              }
            ],
            "unmanaged": [
              {
                "key": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.9.9.9",
                  "port": 8080
                },
                "destinations": 2
              }
            ],
            "draining": [
              {
                "service": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "endpoint": "10.0.0.2:80",
                "activeConnections": 4,
                "inactiveConnections": 9,
                "since": "2026-11-25T12:00:00+00:00",
                "deadline": "2026-11-25T12:05:00+00:00"
              }
            ],
            "observedFingerprint": "sha256:abc",
            "revision": "0123456789abcdef0123456789abcdef01234567",
            "hasChanges": true,
            "summary": {
              "toAdd": 3,
              "toChange": 4,
              "toDestroy": 2,
              "drift": 2
            }
          },
          "desired": {
            "node": "lb1",
            "services": [
              {
                "name": "web",
                "service": {
                  "key": {
                    "family": "ipv4",
                    "protocol": "tcp",
                    "address": "10.0.0.100",
                    "port": 80
                  },
                  "scheduler": "wrr",
                  "flags": "none",
                  "timeoutSeconds": 0,
                  "netmask": 4294967295,
                  "isPersistent": false
                },
                "destinations": [
                  {
                    "destination": {
                      "address": "10.0.0.1",
                      "port": 80,
                      "forwarding": "direct-route",
                      "weight": 1,
                      "upperThreshold": 0,
                      "lowerThreshold": 0,
                      "tunnelType": "ipip",
                      "tunnelPort": 0,
                      "tunnelFlags": "none",
                      "endpoint": "10.0.0.1:80"
                    }
                  },
                  {
                    "destination": {
                      "address": "10.0.1.5",
                      "port": 8080,
                      "forwarding": "tunnel",
                      "weight": 3,
                      "upperThreshold": 100,
                      "lowerThreshold": 10,
                      "tunnelType": "gue",
                      "tunnelPort": 6080,
                      "tunnelFlags": "checksum, remote-checksum",
                      "endpoint": "10.0.1.5:8080"
                    },
                    "reason": "health: slow"
                  }
                ],
                "removeAtOnce": [
                  {
                    "address": "10.0.0.3",
                    "port": 80,
                    "reason": "removed"
                  }
                ],
                "onlyIfPresent": false
              },
              {
                "name": "dns",
                "service": {
                  "key": {
                    "family": "ipv6",
                    "protocol": "udp",
                    "address": "2001:db8::53",
                    "port": 53
                  },
                  "scheduler": "sh",
                  "flags": "persistent, scheduler1",
                  "timeoutSeconds": 300,
                  "netmask": 128,
                  "persistenceEngine": "sip",
                  "isPersistent": true
                },
                "destinations": [],
                "removeAtOnce": [],
                "onlyIfPresent": true
              }
            ],
            "addresses": [
              {
                "interface": "lo",
                "address": "10.0.0.100/32",
                "instance": "VI_1",
                "present": true,
                "held": false
              }
            ],
            "sysctls": [
              {
                "name": "net.ipv4.conf.all.arp_ignore",
                "value": "1",
                "reason": "direct routing"
              }
            ],
            "vrrpAddresses": [
              {
                "interface": "eth0",
                "address": "192.0.2.10/24",
                "instance": "VI_1",
                "present": false,
                "held": true,
                "reason": "backup"
              }
            ],
            "syncDaemons": [
              {
                "daemon": {
                  "state": "master",
                  "multicastInterface": "eth0",
                  "syncId": 51
                },
                "instance": "VI_1"
              }
            ],
            "routes": [],
            "rules": [],
            "vrrpRoutes": [],
            "vrrpRules": []
          }
        }
        """;

    private const string OwnershipJson = """
        {
          "services": [
            {
              "settings": {
                "key": {
                  "family": "ipv4",
                  "protocol": "tcp",
                  "address": "10.0.0.100",
                  "port": 80
                },
                "scheduler": "wrr",
                "flags": "persistent",
                "timeoutSeconds": 50,
                "netmask": 4294967295,
                "isPersistent": true
              },
              "destinations": [
                {
                  "settings": {
                    "address": "10.0.0.1",
                    "port": 80,
                    "forwarding": "direct-route",
                    "weight": 1,
                    "upperThreshold": 0,
                    "lowerThreshold": 0,
                    "tunnelType": "ipip",
                    "tunnelPort": 0,
                    "tunnelFlags": "none",
                    "endpoint": "10.0.0.1:80"
                  },
                  "drainingSince": "2026-11-25T12:00:00+00:00"
                },
                {
                  "settings": {
                    "address": "10.0.1.5",
                    "port": 8080,
                    "forwarding": "tunnel",
                    "weight": 3,
                    "upperThreshold": 100,
                    "lowerThreshold": 10,
                    "tunnelType": "gue",
                    "tunnelPort": 6080,
                    "tunnelFlags": "checksum, remote-checksum",
                    "endpoint": "10.0.1.5:8080"
                  }
                }
              ]
            },
            {
              "settings": {
                "key": {
                  "family": "ipv4",
                  "firewallMark": 7
                },
                "scheduler": "mh",
                "flags": "scheduler2",
                "timeoutSeconds": 0,
                "netmask": 4294967295,
                "isPersistent": false
              },
              "destinations": []
            }
          ],
          "addresses": [
            {
              "interface": "lo",
              "address": "10.0.0.100/32"
            },
            {
              "interface": "eth0",
              "address": "fe80::1/64"
            }
          ],
          "sysctlOriginals": {
            "net.ipv4.conf.all.arp_ignore": "0",
            "net.ipv4.conf.all.arp_announce": "0"
          },
          "syncDaemons": [
            {
              "state": "master",
              "multicastInterface": "eth0",
              "syncId": 51
            }
          ],
          "routes": [],
          "rules": []
        }
        """;

    private const string OverlayJson = """
        {
          "node": "lb1",
          "roles": {
            "VI_1": "master",
            "VI_2": "backup",
            "VI_3": "unknown"
          },
          "services": [
            {
              "name": "web",
              "health": {
                "withdrawn": true,
                "sorryServerActive": false,
                "reason": "quorum lost"
              },
              "realServers": [
                {
                  "address": "10.0.0.1",
                  "port": 80,
                  "health": {
                    "present": false,
                    "reason": "check failed"
                  }
                },
                {
                  "address": "2001:db8::1",
                  "port": 443,
                  "health": {
                    "present": true,
                    "weight": 5
                  }
                }
              ]
            }
          ],
          "drainTimeout": "00:01:30"
        }
        """;
}
