using System.Net;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    /// <summary>Leaves INITIALIZE or FAULT: MASTER for the address owner (unless it is on standby), BACKUP for everyone
    /// else (RFC 5798 6.4.1).</summary>
    private void ComeUp(VrrpState from)
    {
        if (Config.IsAddressOwner && !_standby && _group is null)
        {
            BecomeMaster(from, from == VrrpState.Fault ? VrrpTransitionReason.FaultCleared : VrrpTransitionReason.AddressOwner);
        }
        else if (Config.IsAddressOwner && !_standby)
        {
            // In a sync group the owner, too, becomes MASTER only with every member: BACKUP first, wanting it at once.
            EnterBackup(from, from == VrrpState.Fault ? VrrpTransitionReason.FaultCleared : VrrpTransitionReason.Startup);
            TakeOver(VrrpTransitionReason.AddressOwner);
        }
        else
        {
            EnterBackup(from, from == VrrpState.Fault ? VrrpTransitionReason.FaultCleared : VrrpTransitionReason.Startup);
        }
    }

    /// <summary>
    /// INITIALIZE or FAULT to BACKUP. The router is the one writer of its virtual addresses, so it also takes away
    /// any it finds from before (an agent killed while MASTER, whose peer has taken over since): a BACKUP never holds
    /// them. Removing an address that is not there is a no-op.
    /// </summary>
    private void EnterBackup(VrrpState from, VrrpTransitionReason reason)
    {
        CallHost(nameof(IVrrpRouterHost.RemoveVirtualAddresses), static (host, addresses) => host.RemoveVirtualAddresses(addresses), Config.VirtualAddresses);
        BackupWithNoMasterKnown();
        ReportTransition(from, VrrpState.Backup, reason);
    }

    /// <summary>BACKUP with no master heard yet (its adverts will tell): our own interval, the down timer armed.</summary>
    private void BackupWithNoMasterKnown()
    {
        _state = VrrpState.Backup;
        _wantsMaster = false;
        _masterAdvertInterval = Config.AdvertInterval;
        _masterAddress = null;
        _masterPriority = 0;
        _preemptDeadline = null;
        _nextMasterReason = VrrpTransitionReason.MasterDown;
        _masterDownTimer.Start(MasterDownInterval());
    }

    /// <summary>
    /// Becomes MASTER: advert first (so the old master lets go before our announcements), then the addresses,
    /// then gratuitous ARP / unsolicited NA now and again after the repeat delay, as keepalived does.
    /// </summary>
    private void BecomeMaster(VrrpState from, VrrpTransitionReason reason)
    {
        _masterDownTimer.Stop();
        var formerMaster = from == VrrpState.Backup ? _masterAddress : null;
        _state = VrrpState.Master;
        _wantsMaster = false;
        _masterAdvertInterval = Config.AdvertInterval;
        _masterAddress = null;
        _masterPriority = _effectivePriority;
        _preemptDeadline = null;

        SendAdvert((byte)_effectivePriority);
        _advertTimer.Start(Config.AdvertInterval);

        AddAndAnnounceVirtualAddresses();
        if (Config.Garp.RepeatCount > 0)
        {
            _garpTimer.Start(Config.Garp.RepeatDelay);
        }

        Counters.CountBecameMaster();
        ReportTransition(from, VrrpState.Master, reason, formerMaster);
    }

    /// <summary>Adds the virtual addresses and announces them (gratuitous ARP / unsolicited NA): a new MASTER, or one
    /// whose address was removed by hand.</summary>
    private void AddAndAnnounceVirtualAddresses()
    {
        CallHost(nameof(IVrrpRouterHost.AddVirtualAddresses), static (host, addresses) => host.AddVirtualAddresses(addresses), Config.VirtualAddresses);
        if (Config.Garp.Count > 0)
        {
            SendGratuitousAnnouncements(Config.Garp.Count);
        }
    }

    /// <summary>Stops being MASTER (the caller sets the new state and reports the transition).</summary>
    private void LeaveMaster(bool sendPriorityZero)
    {
        _handingOver = false;
        _advertTimer.Stop();
        _garpTimer.Stop();
        if (sendPriorityZero)
        {
            SendAdvert(VrrpConstants.VRRP_PRIORITY_STOP);
            Counters.CountPriorityZeroSent();
        }

        CallHost(nameof(IVrrpRouterHost.RemoveVirtualAddresses), static (host, addresses) => host.RemoveVirtualAddresses(addresses), Config.VirtualAddresses);
        Counters.CountReleasedMaster();
    }

    /// <summary>MASTER to BACKUP on a better advert (RFC 5798 6.4.3): cancel the advert timer, arm the down timer.</summary>
    private void StepDown(IPAddress newMaster, VrrpAdvert advert, VrrpTransitionReason reason)
    {
        if (_handingOver)
        {
            reason = VrrpTransitionReason.Handover;
        }

        LeaveMaster(sendPriorityZero: false);
        _state = VrrpState.Backup;
        _wantsMaster = false;
        _masterAdvertInterval = Config.Version == VrrpConstants.VRRP_VERSION_3 ? advert.AdvertInterval : Config.AdvertInterval;
        _masterAddress = newMaster;
        _masterPriority = advert.Priority;
        _preemptDeadline = null;
        _nextMasterReason = VrrpTransitionReason.MasterDown;
        _masterDownTimer.Start(MasterDownInterval());
        ReportTransition(VrrpState.Master, VrrpState.Backup, reason);
        _group?.DemoteOthers(this);
    }

    /// <summary>Any running state to FAULT. From MASTER keepalived sends priority 0 first, so a backup takes over quickly.</summary>
    private void EnterFault(VrrpTransitionReason reason)
    {
        var from = _state;
        if (from == VrrpState.Master)
        {
            LeaveMaster(sendPriorityZero: true);
        }

        StopTimers();
        _state = VrrpState.Fault;
        _wantsMaster = false;
        _masterAddress = null;
        ReportTransition(from, VrrpState.Fault, reason);
    }

    private void OnMasterDown()
    {
        if (_state == VrrpState.Master && _handingOver)
        {
            StopHandingOver();
            return;
        }

        if (_state == VrrpState.Backup)
        {
            TakeOver(_nextMasterReason);
        }
    }

    private void OnAdvertTimer()
    {
        if (_state == VrrpState.Master)
        {
            SendAdvert((byte)_effectivePriority);
            _advertTimer.Start(Config.AdvertInterval);
        }
    }

    private void OnGarpRepeat()
    {
        if (_state == VrrpState.Master && !_handingOver)
        {
            SendGratuitousAnnouncements(Config.Garp.RepeatCount);
        }
    }

    private TimeSpan MasterDownInterval() =>
        VrrpTimers.MasterDownInterval(Config.Version, _effectivePriority, _masterAdvertInterval);

    private TimeSpan SkewTime() =>
        VrrpTimers.SkewTime(Config.Version, _effectivePriority, _masterAdvertInterval);

    /// <summary>Encodes and hands one advert per destination to the host (counted once, as keepalived counts).</summary>
    private void SendAdvert(byte priority)
    {
        var advert = _advertTemplate.WithPriority(priority);
        foreach (var destination in Config.AdvertDestinations)
        {
            var checksumDestination = _legacyUnicastChecksum && Config.UsesUnicast ? VrrpConstants.VRRP_MCAST_GROUP4 : destination;
            var length = VrrpCodec.Encode(advert, Config.PrimaryAddress, checksumDestination, _sendBuffer);
            try
            {
                _host.SendAdvert(_sendBuffer.AsSpan(0, length), destination);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                ReportHostError(nameof(IVrrpRouterHost.SendAdvert), e);
            }
        }

        Counters.CountAdvertSent();
    }

    private void SendGratuitousAnnouncements(int count) =>
        CallHost(nameof(IVrrpRouterHost.SendGratuitousAnnouncements), (host, addresses) => host.SendGratuitousAnnouncements(addresses, count), Config.VirtualAddresses);

    private void ReportTransition(VrrpState from, VrrpState to, VrrpTransitionReason reason, IPAddress? formerMaster = null)
    {
        Counters.CountTransition();
        var transition = new VrrpTransition(Config.InstanceName, from, to, reason, _effectivePriority, formerMaster);
        CallHost(nameof(IVrrpRouterHost.OnTransition), static (host, t) => host.OnTransition(t), transition);
        _group?.OnMemberTransition();
    }

    private void CallHost<T>(string operation, Action<IVrrpRouterHost, T> call, T argument)
    {
        try
        {
            call(_host, argument);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ReportHostError(operation, e);
        }
    }

    private void ReportHostError(string operation, Exception exception)
    {
        try
        {
            _host.OnHostError(operation, exception);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing sensible is left to do with an error reporter that fails.
        }
    }

    private static int CompareAddresses(IPAddress left, IPAddress right)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        left.TryWriteBytes(a, out var lengthA);
        right.TryWriteBytes(b, out var lengthB);
        return a[..lengthA].SequenceCompareTo(b[..lengthB]);
    }
}
