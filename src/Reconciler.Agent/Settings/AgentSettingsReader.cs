using System.Net;
using Microsoft.Extensions.Configuration;
using Reconciler.GitSource.Source;
using Reconciler.Scripts;
using Reconciler.Topology;

namespace Reconciler.Agent.Settings;

/// <summary>
/// Builds <see cref="AgentSettings"/> from configuration and reports every problem at once, each naming the key
/// and the layer it came from (<c>pollInterval = "5x" (from /etc/reconciler/agent.json): not a duration</c>).
/// Keys, as the JSON file spells them (the environment uses <c>RECONCILER_</c> and <c>__</c> for <c>:</c>):
/// node, repository:url|branch|path|rev|user|tokenFile|tokenEnvironmentVariable|sshKeyFile|knownHostsFile|allowedSignersFile|gpgHome|gpgFingerprints,
/// pollInterval, driftInterval, minReconcileInterval, drainTimeout, stateDirectory, endpoint, endpointTokenFile, cleanupOnStop,
/// allowMassRemoval, allowNonFastForward, scripts:user|runAsRoot|maxConcurrent, logFormat.
/// </summary>
public static class AgentSettingsReader
{
    /// <summary>Command-line switches of <c>reconciler agent</c> and the keys they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--node"] = "node",
        ["--repo"] = "repository:url",
        ["--branch"] = "repository:branch",
        ["--path"] = "repository:path",
        ["--rev"] = "repository:rev",
        ["--user"] = "repository:user",
        ["--token-file"] = "repository:tokenFile",
        ["--token-env"] = "repository:tokenEnvironmentVariable",
        ["--ssh-key"] = "repository:sshKeyFile",
        ["--known-hosts"] = "repository:knownHostsFile",
        ["--allowed-signers"] = "repository:allowedSignersFile",
        ["--gpg-home"] = "repository:gpgHome",
        ["--gpg-fingerprints"] = "repository:gpgFingerprints",
        ["--poll-interval"] = "pollInterval",
        ["--drift-interval"] = "driftInterval",
        ["--min-reconcile-interval"] = "minReconcileInterval",
        ["--drain-timeout"] = "drainTimeout",
        ["--state-dir"] = "stateDirectory",
        ["--endpoint"] = "endpoint",
        ["--endpoint-token-file"] = "endpointTokenFile",
        ["--script-user"] = "scripts:user",
        ["--scripts-as-root"] = "scripts:runAsRoot",
        ["--max-concurrent-scripts"] = "scripts:maxConcurrent",
        ["--cleanup-on-stop"] = "cleanupOnStop",
        ["--allow-mass-removal"] = "allowMassRemoval",
        ["--allow-non-fast-forward"] = "allowNonFastForward",
        ["--log-format"] = "logFormat",
    };

    private const string EnvironmentLayerName = "the environment";

    /// <summary>The key of each git setting (what <see cref="GitSettingsValidator"/>'s messages start with).</summary>
    private static readonly Dictionary<GitSetting, string> RepositoryKeys = new()
    {
        [GitSetting.Url] = "repository:url",
        [GitSetting.Branch] = "repository:branch",
        [GitSetting.Rev] = "repository:rev",
        [GitSetting.Path] = "repository:path",
        [GitSetting.User] = "repository:user",
        [GitSetting.TokenFile] = "repository:tokenFile",
        [GitSetting.TokenEnvironmentVariable] = "repository:tokenEnvironmentVariable",
        [GitSetting.SshKeyFile] = "repository:sshKeyFile",
        [GitSetting.KnownHostsFile] = "repository:knownHostsFile",
        [GitSetting.AllowedSignersFile] = "repository:allowedSignersFile",
        [GitSetting.GpgHome] = "repository:gpgHome",
        [GitSetting.GpgFingerprints] = "repository:gpgFingerprints",
    };

    private static readonly HashSet<string> KnownKeys = new(
        SwitchMappings.Values.Append("config"), StringComparer.OrdinalIgnoreCase);

    /// <summary>The layers: an optional JSON file, then <c>RECONCILER_*</c> variables, then the command line.</summary>
    public static IConfigurationRoot Build(string? configFile, IEnumerable<KeyValuePair<string, string?>> commandLine, IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        if (environment is null)
        {
            builder.AddEnvironmentVariables("RECONCILER_");
        }
        else
        {
            builder.Add(new NamedLayer(EnvironmentLayerName, environment
                .Where(e => e.Key.StartsWith("RECONCILER_", StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key["RECONCILER_".Length..].Replace("__", ":", StringComparison.Ordinal), e.Value))));
        }

        builder.Add(new NamedLayer("the command line", commandLine));
        return builder.Build();
    }

    /// <summary>The settings, or every error found. Files named by the settings must exist.</summary>
    public static (AgentSettings? Settings, IReadOnlyList<string> Errors) Read(IConfiguration configuration, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        fileExists ??= File.Exists;
        var errors = new List<string>();
        var root = configuration as IConfigurationRoot;

        foreach (var entry in configuration.AsEnumerable())
        {
            // A typo in the file or on the command line is an error; the environment is shared with other tools
            // (RECONCILER_BIN is the test suite's), so unknown variables there are not the agent's business.
            if (entry.Value is not null && !KnownKeys.Contains(entry.Key) && !FromEnvironment(root, entry.Key))
            {
                errors.Add($"{Where(root, entry.Key)}: unknown setting (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
            }
        }

        string? Text(string key) => configuration[key] is { Length: > 0 } value ? value.Trim() : null;

        TimeSpan Duration(string key, TimeSpan fallback, TimeSpan minimum)
        {
            if (Text(key) is not { } text)
            {
                return fallback;
            }

            if (!Durations.TryParse(text, out var value))
            {
                errors.Add($"{Where(root, key)}: '{text}' is not a duration (write 15s, 500ms, 1m)");
                return fallback;
            }

            if (value < minimum)
            {
                errors.Add($"{Where(root, key)}: {text} is below the minimum of {Durations.Format(minimum)}");
            }

            return value;
        }

        int Count(string key, int fallback, int minimum)
        {
            if (Text(key) is not { } text)
            {
                return fallback;
            }

            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < minimum)
            {
                errors.Add($"{Where(root, key)}: '{text}' is not a whole number of at least {minimum}");
                return fallback;
            }

            return value;
        }

        bool Flag(string key)
        {
            if (Text(key) is not { } text)
            {
                return false;
            }

            if (!bool.TryParse(text, out var value))
            {
                errors.Add($"{Where(root, key)}: '{text}' is not true or false");
            }

            return value;
        }

        var node = Text("node") ?? Environment.MachineName;
        var git = new GitSettings
        {
            Url = Text("repository:url"),
            Branch = Text("repository:branch"),
            Rev = Text("repository:rev"),
            Path = Text("repository:path"),
            User = Text("repository:user"),
            TokenFile = Text("repository:tokenFile"),
            TokenEnvironmentVariable = Text("repository:tokenEnvironmentVariable"),
            SshKeyFile = Text("repository:sshKeyFile"),
            KnownHostsFile = Text("repository:knownHostsFile"),
            AllowedSignersFile = Text("repository:allowedSignersFile"),
            GpgHome = Text("repository:gpgHome"),
            GpgFingerprints = Text("repository:gpgFingerprints"),
        };
        var names = new GitSettingNames(
            setting => RepositoryKeys[setting],
            setting => Where(root, RepositoryKeys[setting]),
            "--repo URL, RECONCILER_REPOSITORY__URL, or \"repository\": {\"url\": ...} in the config file");
        errors.AddRange(GitSettingsValidator.Validate(git, names, fileExists).Select(e => e.Message));

        IPEndPoint endpoint = AgentSettings.DefaultEndpoint;
        if (Text("endpoint") is { } endpointText)
        {
            if (!IPEndPoint.TryParse(endpointText, out var parsed) || parsed.Port == 0)
            {
                errors.Add($"{Where(root, "endpoint")}: '{endpointText}' is not an address:port (e.g. 127.0.0.1:9477, [::1]:9477)");
            }
            else
            {
                endpoint = parsed;
            }
        }

        var endpointTokenFile = Text("endpointTokenFile");
        if (endpointTokenFile is not null && !fileExists(endpointTokenFile))
        {
            errors.Add($"{Where(root, "endpointTokenFile")}: no such file '{endpointTokenFile}'");
        }
        else if (endpointTokenFile is null && !IPAddress.IsLoopback(endpoint.Address))
        {
            errors.Add($"{Where(root, "endpoint")}: {endpoint} is not loopback: anyone who reaches it could read the node's state and trigger reconciles, so an endpoint beyond loopback needs a bearer token (--endpoint-token-file FILE, or \"endpointTokenFile\" in the config file)");
        }

        var scripts = new ScriptPolicy
        {
            User = Text("scripts:user"),
            RunAsRoot = Flag("scripts:runAsRoot"),
            MaxConcurrent = Count("scripts:maxConcurrent", ScriptPolicy.DefaultMaxConcurrent, minimum: 1),
        };
        if (scripts.User is { } scriptUser && scripts.RunAsRoot && scriptUser is not ("root" or "0"))
        {
            errors.Add($"{Where(root, "scripts:runAsRoot")}: contradicts scripts:user = \"{scriptUser}\": set one of them");
        }
        else if (scripts.User is "root" or "0" && !scripts.RunAsRoot)
        {
            errors.Add($"{Where(root, "scripts:user")}: commands from the topology run as root only when asked explicitly: set scripts:runAsRoot (--scripts-as-root) instead");
        }

        var logFormat = LogFormat.Text;
        if (Text("logFormat") is { } logFormatText)
        {
            if (logFormatText.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                logFormat = LogFormat.Json;
            }
            else if (!logFormatText.Equals("text", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{Where(root, "logFormat")}: '{logFormatText}' is not a log format (text or json)");
            }
        }

        var repository = new RepositorySettings
        {
            Url = git.Url ?? "",
            Branch = git.Branch ?? "main",
            Path = git.Path ?? "",
            Rev = git.Rev,
            User = git.User,
            TokenFile = git.TokenFile,
            TokenEnvironmentVariable = git.TokenEnvironmentVariable,
            SshKeyFile = git.SshKeyFile,
            KnownHostsFile = git.KnownHostsFile,
            AllowedSignersFile = git.AllowedSignersFile,
            GpgHome = git.GpgHome,
            GpgFingerprints = GitSource.Signing.SignaturePolicy.ParseFingerprints(git.GpgFingerprints),
        };

        var settings = new AgentSettings
        {
            Node = node,
            Repository = repository,
            PollInterval = Duration("pollInterval", AgentSettings.DefaultPollInterval, TimeSpan.FromMilliseconds(100)),
            DriftInterval = Duration("driftInterval", AgentSettings.DefaultDriftInterval, TimeSpan.FromMilliseconds(100)),
            MinReconcileInterval = Duration("minReconcileInterval", AgentSettings.DefaultMinReconcileInterval, TimeSpan.Zero),
            DrainTimeout = Duration("drainTimeout", Planning.PlannerOptions.DefaultDrainTimeout, TimeSpan.Zero),
            StateDirectory = Text("stateDirectory") ?? AgentSettings.DefaultStateDirectory,
            Endpoint = endpoint,
            EndpointTokenFile = endpointTokenFile,
            Scripts = scripts,
            CleanupOnStop = Flag("cleanupOnStop"),
            AllowMassRemoval = Flag("allowMassRemoval"),
            AllowNonFastForward = Flag("allowNonFastForward"),
            LogFormat = logFormat,
        };
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }

    private static bool FromEnvironment(IConfigurationRoot? root, string key) =>
        root?.Providers.LastOrDefault(p => p.TryGet(key, out _)) is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationProvider
            or NamedLayer.Provider { Name: EnvironmentLayerName };

    /// <summary><c>key = "value" (from SOURCE)</c>: which layer set the value.</summary>
    private static string Where(IConfigurationRoot? root, string key)
    {
        if (root is null)
        {
            return key;
        }

        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return $"{key} (from {Describe(provider)})";
            }
        }

        return key;
    }

    private static string Describe(IConfigurationProvider provider) => provider switch
    {
        // AddJsonFile keeps only the file name in Source.Path (the folder becomes the file provider's root).
        FileConfigurationProvider { Source: { FileProvider: Microsoft.Extensions.FileProviders.PhysicalFileProvider folder, Path: { } name } } => Path.Combine(folder.Root, name),
        FileConfigurationProvider file => file.Source.Path ?? "the config file",
        Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationProvider => "the environment",
        NamedLayer.Provider layer => layer.Name,
        _ => provider.ToString() ?? "configuration",
    };

    /// <summary>An in-memory layer that says where its values came from.</summary>
    private sealed class NamedLayer(string name, IEnumerable<KeyValuePair<string, string?>> values) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(name, values);

        internal sealed class Provider : ConfigurationProvider
        {
            public Provider(string name, IEnumerable<KeyValuePair<string, string?>> values)
            {
                Name = name;
                foreach (var (key, value) in values)
                {
                    Data[key] = value;
                }
            }

            public string Name { get; }
        }
    }
}
