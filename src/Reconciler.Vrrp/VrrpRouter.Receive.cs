using System.Net;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    /// <summary>
    /// Processes one received VRRP message: validates it (<see cref="VrrpReceiveValidator"/>), counts it, and runs
    /// the RFC 5798 6.4.2 (BACKUP) or 6.4.3 (MASTER) rules. In INITIALIZE and FAULT valid adverts are counted and
    /// otherwise ignored.
    /// </summary>
    /// <param name="message">The VRRP message (IPv4: after the IP header, see <see cref="Ipv4Header.TryParse"/>).</param>
    /// <param name="info">IP source, destination and TTL / hop limit.</param>
    /// <returns>The verdict, for the edge to log (every drop is already counted).</returns>
    public VrrpReceiveResult ReceiveAdvert(ReadOnlySpan<byte> message, VrrpPacketInfo info)
    {
        lock (_lock)
        {
            using var scope = Enter();
            if (_state == VrrpState.Stopped)
            {
                Counters.CountDrop(VrrpDropReason.NotRunning);
                return VrrpReceiveResult.Drop(VrrpDropReason.NotRunning);
            }

            var result = VrrpReceiveValidator.Validate(message, info, Config);
            if (!result.IsValid)
            {
                Counters.CountDrop(result.Reason);
                if (result.Reason is VrrpDropReason.AddressCountMismatch or VrrpDropReason.AddressListMismatch)
                {
                    Counters.CountAddressListError();
                }

                return result;
            }

            var advert = result.Advert!;
            Counters.CountAdvertReceived();
            if ((result.Notes & VrrpReceiveNotes.AddressListMismatch) != 0)
            {
                Counters.CountAddressListError();
            }

            if ((result.Notes & VrrpReceiveNotes.AdvertIntervalDiffers) != 0)
            {
                Counters.CountAdvertIntervalChange();
            }

            if ((result.Notes & VrrpReceiveNotes.LegacyUnicastChecksum) != 0)
            {
                // keepalived: "Setting unicast VRRPv3 checksum to old version" and answer in kind from now on.
                _legacyUnicastChecksum = true;
            }

            if (advert.Priority == VrrpConstants.VRRP_PRIORITY_STOP)
            {
                Counters.CountPriorityZeroReceived();
            }

            switch (_state)
            {
                case VrrpState.Backup:
                    OnAdvertAsBackup(advert, info.Source);
                    break;
                case VrrpState.Master:
                    OnAdvertAsMaster(advert, info.Source);
                    break;
            }

            return result;
        }
    }

    /// <summary>Processes one received VRRP message (see <see cref="ReceiveAdvert(ReadOnlySpan{byte}, VrrpPacketInfo)"/>).</summary>
    public VrrpReceiveResult ReceiveAdvert(ReadOnlySpan<byte> message, IPAddress source, IPAddress destination, int timeToLive) =>
        ReceiveAdvert(message, new VrrpPacketInfo(source, destination, timeToLive));

    /// <summary>
    /// Processes one datagram as an IPv4 raw socket delivers it (IP header included): the header is checked and
    /// parsed (<see cref="Ipv4Header.TryParse"/>), a bad one counted as a drop, the payload handed on.
    /// </summary>
    public VrrpReceiveResult ReceiveIPv4Datagram(ReadOnlySpan<byte> datagram)
    {
        if (Ipv4Header.TryParse(datagram, out var info, out var message, out var reason))
        {
            return ReceiveAdvert(message, info);
        }

        lock (_lock)
        {
            Counters.CountDrop(reason);
        }

        return VrrpReceiveResult.Drop(reason);
    }

    /// <summary>
    /// RFC 5798 6.4.2 with keepalived's preempt delay: priority 0 shortens the down timer to the skew; an advert we
    /// may not preempt (no preempt, priority at least ours, or the preempt delay still running) resets it; a
    /// lower-priority advert we may preempt is discarded, so the timer runs out and we take over.
    /// </summary>
    private void OnAdvertAsBackup(VrrpAdvert advert, IPAddress source)
    {
        if (advert.Priority == VrrpConstants.VRRP_PRIORITY_STOP)
        {
            _nextMasterReason = VrrpTransitionReason.MasterReleased;
            _masterDownTimer.Start(SkewTime());
            return;
        }

        var now = _time.GetUtcNow();
        var preemptDelayRunning = Config.PreemptDelay > TimeSpan.Zero && (_preemptDeadline is null || now < _preemptDeadline);
        if (!Config.Preempt || advert.Priority >= _effectivePriority || preemptDelayRunning)
        {
            if (Config.Version == VrrpConstants.VRRP_VERSION_3)
            {
                _masterAdvertInterval = advert.AdvertInterval;
            }

            _masterAddress = source;
            _masterPriority = advert.Priority;
            _nextMasterReason = VrrpTransitionReason.MasterDown;
            _wantsMaster = false;
            _masterDownTimer.Start(MasterDownInterval());

            if (Config.PreemptDelay > TimeSpan.Zero)
            {
                if (advert.Priority >= _effectivePriority)
                {
                    _preemptDeadline = null;
                }
                else
                {
                    _preemptDeadline ??= now + Config.PreemptDelay;
                }
            }
        }
        else
        {
            // Preempt: ignore the lower-priority master; the down timer keeps running.
            _masterAddress = source;
            _masterPriority = advert.Priority;
            _nextMasterReason = VrrpTransitionReason.Preempted;
        }
    }

    /// <summary>
    /// RFC 5798 6.4.3: priority 0 makes us advertise at once; a higher priority, or an equal one from a higher
    /// primary address, makes us BACKUP; a lower one is answered with an advert (keepalived's default) or ignored.
    /// </summary>
    private void OnAdvertAsMaster(VrrpAdvert advert, IPAddress source)
    {
        if (advert.Priority == VrrpConstants.VRRP_PRIORITY_STOP)
        {
            if (!_handingOver)
            {
                SendAdvert((byte)_effectivePriority);
                _advertTimer.Start(Config.AdvertInterval);
            }

            return;
        }

        if (advert.Priority > _effectivePriority)
        {
            StepDown(source, advert, VrrpTransitionReason.HigherPriorityAdvert);
            return;
        }

        if (advert.Priority == _effectivePriority && CompareAddresses(source, Config.PrimaryAddress) > 0)
        {
            StepDown(source, advert, VrrpTransitionReason.EqualPriorityHigherAddress);
            return;
        }

        if (Config.AdvertOnLowerPriority && !_handingOver)
        {
            SendAdvert((byte)_effectivePriority);
        }
    }
}
