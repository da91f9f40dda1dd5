using System.CommandLine;
using System.Net;
using Reconciler.Cli.Output;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Validation;
using Reconciler.Topology.Yaml;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler import keepalived [NODE=]FILE... [--address NODE=IP]... [--config-id NODE=ID]... [-o OUT]</c>: one
/// keepalived.conf per node merged into one topology (one shared file may serve several nodes, NODE=FILE each: its
/// conditional lines are read as each node's keepalived reads them); every keyword that is not carried over is a
/// located warning.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "keepalived.conf of each node, as NODE=FILE (or FILE: the node is named after router_id or the file).", Arity = ArgumentArity.OneOrMore };
        var addresses = new Option<string[]>("--address") { Description = "A node's own address, as NODE=IP (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var configIds = new Option<string[]>("--config-id") { Description = "The keepalived config id (its -i) a node's file is read with, as NODE=ID: selects conditional lines (@ID ..., @^ID ...). Default: the node's name.", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--out", "-o") { Description = "Write the topology here (default: standard output)." };
        var report = new Option<bool>("--report") { Description = "Print the import report instead of the topology (write the topology with -o): each statement imported, adjusted, dropped or invalid, and why." };
        var json = new Option<bool>("--json") { Description = "With --report: the report as JSON, every statement." };
        var schema = new Option<string?>("--schema-ref") { Description = "Write a '# yaml-language-server: $schema=REF' line first (e.g. the path of schemas/topology.schema.json), for editor completion." };
        var keepalived = new Command("keepalived", "Import keepalived.conf files (one per node) into one topology.") { files, addresses, configIds, output, report, json, schema };
        keepalived.SetAction(parse =>
        {
            if (parse.GetValue(json) && !parse.GetValue(report))
            {
                return Terminal.Fail("--json needs --report (the topology is YAML)");
            }

            var nodeAddresses = new Dictionary<string, List<IPAddress>>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(addresses) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !IPAddress.TryParse(pair[(equals + 1)..], out var address))
                {
                    return Terminal.Fail($"--address {pair}: expected NODE=IP");
                }

                nodeAddresses.TryAdd(pair[..equals], []);
                nodeAddresses[pair[..equals]].Add(address);
            }

            var nodeConfigIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(configIds) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || equals == pair.Length - 1 || !nodeConfigIds.TryAdd(pair[..equals], pair[(equals + 1)..]))
                {
                    return Terminal.Fail($"--config-id {pair}: expected NODE=ID, once per node");
                }
            }

            var sources = new List<KeepalivedSource>();
            foreach (var argument in parse.GetRequiredValue(files))
            {
                var equals = argument.IndexOf('=', StringComparison.Ordinal);
                var node = equals > 0 ? argument[..equals] : null;
                var path = equals > 0 ? argument[(equals + 1)..] : argument;
                sources.Add(new KeepalivedSource(node, path, node is not null && nodeAddresses.TryGetValue(node, out var list) ? list : [])
                {
                    ConfigId = node is not null && nodeConfigIds.TryGetValue(node, out var id) ? id : null,
                });
            }

            var unknown = nodeConfigIds.Keys.Where(n => !sources.Any(s => s.NodeName == n)).ToList();
            if (unknown.Count > 0)
            {
                return Terminal.Fail($"--config-id {unknown[0]}=...: no file is given as {unknown[0]}=FILE");
            }

            var result = KeepalivedImporter.Import(sources);
            var diagnostics = result.Diagnostics.ToList();
            if (result.Topology is { } topology)
            {
                diagnostics.AddRange(TopologyValidator.Validate(topology));
            }

            DiagnosticsOutput.WriteText(Console.Error, diagnostics);
            foreach (var node in result.Nodes)
            {
                Console.Error.WriteLine($"node {node.Name}: {node.File} (name from {node.Origin.ToString().ToLowerInvariant()})");
            }

            if (parse.GetValue(report))
            {
                // The report says what failed too: it is printed whether or not the import succeeds.
                if (parse.GetValue(json))
                {
                    Console.Out.Write(ImportReportOutput.Json(result.Report) + "\n");
                }
                else
                {
                    ImportReportOutput.WriteText(Console.Out, result.Report);
                }
            }

            if (result.Topology is null || diagnostics.Any(d => d.IsError))
            {
                Console.Error.WriteLine($"reconciler: import failed: {DiagnosticsOutput.CountLine(diagnostics)}");
                return ExitCodes.Error;
            }

            if (parse.GetValue(report) && parse.GetValue(output) is null)
            {
                return ExitCodes.Success;
            }

            var yaml = TopologyYamlWriter.Write(result.Topology, parse.GetValue(schema));
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file, yaml);
                Console.Error.WriteLine($"wrote {file}: {DiagnosticsOutput.CountLine(diagnostics)}");
            }
            else
            {
                Console.Out.Write(yaml);
            }

            return ExitCodes.Success;
        });
        return new Command("import", "Import configuration from other tools.") { keepalived };
    }
}
