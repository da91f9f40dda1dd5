using Reconciler.Scripts;
using Reconciler.Topology;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>The built-in probes: one kind, one class. A new kind adds a case here.</summary>
public sealed class HealthProbeFactory : IHealthProbeFactory, IDisposable
{
    private readonly TimeProvider _time;
    private readonly IScriptRunner _scripts;
    private readonly Func<string, Action, IDisposable>? _watchFile;
    private readonly Lazy<HttpProbeClient> _verifying = new(() => new HttpProbeClient(verifyTls: true));
    private readonly Lazy<HttpProbeClient> _trusting = new(() => new HttpProbeClient(verifyTls: false));

    /// <param name="scripts">Runs exec checks; none (the default): they fail saying so, never run unconfined.</param>
    /// <param name="watchFile">Calls back when a file is written, until disposed (the Linux edge's inotify watcher);
    /// none: file checks read their file at their interval only.</param>
    public HealthProbeFactory(TimeProvider time, IScriptRunner? scripts = null, Func<string, Action, IDisposable>? watchFile = null)
    {
        _time = time;
        _scripts = scripts ?? NoScriptRunner.Instance;
        _watchFile = watchFile;
    }

    public IHealthProbe Create(HealthCheckTarget target)
    {
        var check = target.Check;
        switch (check.Kind)
        {
            case HealthCheckKind.Tcp:
                return new TcpProbe(target.EndPoint, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.Http or HealthCheckKind.Https:
                var http = check.Http ?? TopologyDefaults.Http;
                var client = http.VerifyTls || check.Kind == HealthCheckKind.Http ? _verifying.Value : _trusting.Value;
                return new HttpProbe(client, check.Kind == HealthCheckKind.Https, target.EndPoint, http, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.Exec:
                var exec = check.Exec ?? throw new ArgumentException($"The exec check of {target.Endpoint} has no command.", nameof(target));
                var environment = new Dictionary<string, string>
                {
                    ["RECONCILER_SERVICE"] = target.Service,
                    ["RECONCILER_REAL_SERVER_ADDRESS"] = target.Address.ToString(),
                    ["RECONCILER_REAL_SERVER_PORT"] = target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                return new ExecProbe(exec.Command, exec.Timeout, exec.DynamicWeight, environment, _scripts);
            case HealthCheckKind.Udp:
                return new UdpProbe(target.EndPoint, check.Udp ?? UdpCheck.Default, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.Ping:
                return new PingProbe(target.Address, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.Dns:
                return new DnsProbe(target.EndPoint, check.Dns ?? DnsCheck.Default, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.Smtp:
                return new SmtpProbe(target.EndPoint, check.Smtp?.HeloName, check.ConnectTimeout, check.BindAddress, _time);
            case HealthCheckKind.File:
                var file = target.File ?? throw new ArgumentException($"The file check of {target.Endpoint} names no tracked file.", nameof(target));
                return new FileProbe(file, _watchFile);
            default:
                throw new ArgumentOutOfRangeException(nameof(target), check.Kind, "Unknown health check kind.");
        }
    }

    public void Dispose()
    {
        if (_verifying.IsValueCreated)
        {
            _verifying.Value.Dispose();
        }

        if (_trusting.IsValueCreated)
        {
            _trusting.Value.Dispose();
        }
    }
}
