using System.Net;
using System.Net.Sockets;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    private const int DefaultScriptRiseFall = 1;

    private string? Name(ConfigStatement statement)
    {
        if (statement.Arguments.Count == 0)
        {
            Error("missing-value", $"'{statement.Name}' needs a name", statement.Location);
            return null;
        }

        ExtraArguments(statement, 1);
        return statement.Arguments[0].Text;
    }

    private void ReadVrrpInstance(ConfigStatement statement)
    {
        if (Name(statement) is not { } name)
        {
            return;
        }

        var context = $"vrrp_instance {name}";
        var instance = new InstanceConfig(name, statement.Location);
        int? vrid = null;
        int? version = null;
        int? priority = null;
        TimeSpan advert = TimeSpan.FromSeconds(1);
        Token? advertToken = null;
        var preempt = true;
        Token? nopreempt = null;
        var preemptDelay = TimeSpan.Zero;
        VrrpAuthentication? authentication = null;
        SourceLocation? authenticationLocation = null;
        var vips = new List<(InterfaceAddress Address, Token? Device)>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var vmac = new VmacConfig();
        var notify = new NotifyCommands();
        var garpRepeat = _globalGarpRepeat;
        var garpDelay = _globalGarpDelay;
        var routes = new List<IpRoute>();
        var rules = new List<IpRule>();
        var routingInterfaces = new List<string>();

        foreach (var s in Block(statement))
        {
            switch (s.Name)
            {
                case "state":
                    if (Word(s) is { } state)
                    {
                        if (state.Text is "MASTER" or "BACKUP")
                        {
                            instance.State = new Located<string>(state.Text, state.Location);
                        }
                        else
                        {
                            Error("invalid-value", $"'state' is MASTER or BACKUP, not '{state.Text}'", state.Location);
                        }
                    }

                    break;
                case "interface":
                    if (Word(s) is { } iface)
                    {
                        instance.Interface = new Located<string>(iface.Text, iface.Location);
                    }

                    break;
                case "virtual_router_id":
                    vrid = Int(s, 1, 255) ?? vrid;
                    break;
                case "priority":
                    priority = Int(s, 1, 255) ?? priority;
                    break;
                case "advert_int":
                    if (Word(s) is { } advertWord && ParseSeconds(advertWord, s.Name, 0.01m, 255) is { } parsedAdvert)
                    {
                        advert = parsedAdvert;
                        advertToken = advertWord;
                    }

                    break;
                case "version":
                    version = Int(s, 2, 3) ?? version;
                    break;
                case "nopreempt":
                    NoBlock(s);
                    preempt = false;
                    nopreempt = s.Keyword;
                    break;
                case "preempt":
                    NoBlock(s);
                    preempt = true;
                    nopreempt = null;
                    break;
                case "preempt_delay":
                    preemptDelay = Seconds(s, 0, 1000) ?? preemptDelay;
                    break;
                case "authentication":
                    authentication = ReadAuthentication(s, context);
                    authenticationLocation = s.Location;
                    break;
                case "virtual_ipaddress":
                case "virtual_ipaddress_excluded":
                    ReadVirtualAddresses(s, context, vips, labels);
                    break;
                case "use_vmac":
                case "vmac_xmit_base":
                    ReadVmac(s, context, vmac);
                    break;
                case "track_script":
                    ReadTrackScripts(s, context, instance.TrackScripts);
                    break;
                case "track_file":
                    ReadTrackFiles(s, context, instance.TrackScripts);
                    break;
                case "virtual_routes":
                    routes.AddRange(ReadRoutes(s, context, tracked: true, routingInterfaces));
                    break;
                case "virtual_rules":
                    rules.AddRange(ReadRules(s, context, tracked: true, routingInterfaces));
                    break;
                case "track_interface":
                    ReadTrackInterfaces(s, context, instance.TrackInterfaces);
                    break;
                case "unicast_src_ip":
                    if (Word(s) is { } src && Address(src, s.Name) is { } srcAddress)
                    {
                        instance.UnicastSource = srcAddress;
                        _node.SourceAddresses.Add(new Located<IPAddress>(srcAddress, src.Location));
                    }

                    break;
                case "mcast_src_ip":
                    if (Word(s) is { } mcast && Address(mcast, s.Name) is { } mcastAddress)
                    {
                        _node.SourceAddresses.Add(new Located<IPAddress>(mcastAddress, mcast.Location));
                    }

                    break;
                case "unicast_peer":
                    instance.UsesUnicast = true;
                    foreach (var peer in Block(s))
                    {
                        if (Address(peer.Keyword, "unicast_peer") is { } peerAddress)
                        {
                            instance.UnicastPeers.Add(new Located<IPAddress>(peerAddress, peer.Location));
                        }

                        foreach (var option in peer.Arguments)
                        {
                            Dropped(option, context, "unicast peer options are not supported");
                        }
                    }

                    break;
                case "garp_master_delay":
                    garpDelay = Seconds(s, 0, 1000) ?? garpDelay;
                    break;
                case "garp_master_repeat":
                    garpRepeat = Int(s, 1, 255) ?? garpRepeat;
                    break;
                case "lvs_sync_daemon_interface":
                    ReadSyncDaemonInterface(s, name);
                    break;
                default:
                    if (!ReadNotify(s, context, notify) && !UnsupportedTracking(s, context))
                    {
                        Unsupported(s, context);
                    }

                    break;
            }
        }

        if (instance.Interface is null)
        {
            Error("missing-value", $"{context} has no 'interface'", statement.Location);
        }
        else
        {
            instance.Interfaces.Add(instance.Interface.Value);
        }

        instance.Interfaces.AddRange(instance.TrackInterfaces.Select(t => t.Value.Interface));
        instance.Interfaces.AddRange(routingInterfaces);

        if (vrid is null)
        {
            Error("missing-value", $"{context} has no 'virtual_router_id'", statement.Location);
        }

        // keepalived: no priority means 255 (address owner) for state MASTER, else 100.
        instance.Priority = priority ?? (instance.State?.Value == "MASTER" ? 255 : 100);

        if (nopreempt is not null && instance.State?.Value == "MASTER")
        {
            Warning(
                "nopreempt-ignored",
                $"{context}: nopreempt does not work with state MASTER; keepalived clears it, and so does the import",
                nopreempt.Location);
            preempt = true;
        }

        foreach (var (vip, device) in vips)
        {
            if (device is not null && vmac.UseVmac is not null)
            {
                Warning(
                    "vip-device-dropped",
                    $"{context}: with use_vmac keepalived puts virtual address {vip} ('dev {device.Text}') on {device.Text} itself; the topology puts every address of an instance on its vmac",
                    device.Location);
            }
            else if (device is not null && device.Text != instance.Interface?.Value)
            {
                Warning(
                    "vip-device-dropped",
                    $"{context}: virtual address {vip} is on 'dev {device.Text}'; the topology puts every address of an instance on its interface '{instance.Interface?.Value}'",
                    device.Location);
            }
        }

        var addresses = vips.Select(v => v.Address).Distinct().ToList();
        var effectiveVersion = version ?? _globalVrrpVersion ?? 2;
        if (addresses.Count > 0 && addresses.All(a => a.Family == AddressFamily.InterNetworkV6) && effectiveVersion == 2)
        {
            Warning("vrrp-version", $"{context}: IPv6 instances always use VRRP version 3 (as keepalived does)", statement.Location);
            effectiveVersion = 3;
        }

        if (effectiveVersion == 2 && advert.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            var rounded = TimeSpan.FromSeconds(Math.Max(1, Math.Round(advert.TotalSeconds)));
            Warning("invalid-value", $"{context}: VRRPv2 advert_int is whole seconds; {advert.TotalSeconds} rounded to {rounded.TotalSeconds} as keepalived does", advertToken!.Location);
            advert = rounded;
        }
        else if (effectiveVersion == 3 && advert.Ticks % (TimeSpan.TicksPerMillisecond * 10) != 0)
        {
            Error("invalid-value", $"{context}: VRRPv3 advert_int is in steps of 10 ms", advertToken!.Location);
        }

        if (authentication is not null && effectiveVersion == 3)
        {
            Warning("unsupported-keyword", $"{context}: VRRPv3 has no authentication; 'authentication' is ignored (as keepalived does)", authenticationLocation!);
            authentication = null;
        }

        var garp = GratuitousArp.Default;
        if (garpRepeat is { } repeat)
        {
            garp = garp with { Count = repeat, RepeatCount = repeat };
        }

        if (garpDelay is { } delay)
        {
            garp = delay == TimeSpan.Zero ? garp with { RepeatDelay = TimeSpan.Zero, RepeatCount = 0 } : garp with { RepeatDelay = delay };
        }

        instance.Shared = new VrrpInstance(
            name,
            Interface: string.Empty,
            InterfaceOverrides: ValueMap<string>.Empty,
            VirtualRouterId: vrid ?? 0,
            Version: effectiveVersion,
            AdvertInterval: advert,
            Priorities: ValueMap<int>.Empty,
            Preempt: preempt,
            PreemptDelay: preemptDelay,
            Authentication: authentication,
            VirtualAddresses: addresses.ToValueList(),
            UnicastPeers: [],
            TrackChecks: instance.TrackScripts.Select(t => t.Value).ToValueList(),
            TrackInterfaces: instance.TrackInterfaces.Select(t => t.Value).ToValueList(),
            Notify: notify.ToNotify(),
            Garp: garp)
        {
            VirtualRoutes = routes.ToValueList(),
            VirtualRules = rules.ToValueList(),
            Vmac = VmacOf(vmac, context, vrid ?? 0),
            VirtualAddressLabels = ValueMap<string>.Create(labels.Where(l => addresses.Any(a => a.Address.ToString() == l.Key))),
        };
        _node.Instances.Add(instance);
    }
}
