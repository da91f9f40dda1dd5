using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Tests.Loading;

public sealed class TopologyLoaderTests
{
    /// <summary><c>reconciler diff</c> loads two revisions side by side: loads on several threads at once give what
    /// they give one at a time (the schema, its validator and the rules are shared).</summary>
    [Fact]
    public void LoadDocuments_ManyAtOnceOnSeveralThreads_SameAsOneAtATime()
    {
        var corpus = Reconciler.Testing.Fuzzing.FuzzCorpus.Load("topology").Files
            .Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes))
            .Append(Samples.SeedYaml)
            .Append(Samples.SeedYaml.Replace("port: 80", "port: 70000", StringComparison.Ordinal))
            .ToArray();
        static string Describe(TopologyLoadResult result) =>
            string.Join('\n', result.Lines()) + "\n" + (result.Topology is { } topology ? Reconciler.Topology.Yaml.TopologyYamlWriter.Write(topology) : "invalid");
        var expected = corpus.Select(text => Describe(LoaderHelpers.Load(text))).ToArray();

        var actual = new string[corpus.Length * 8];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Describe(LoaderHelpers.Load(corpus[i % corpus.Length])));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % corpus.Length], actual[i]);
        }

        Assert.Contains(expected, e => e.EndsWith("invalid", StringComparison.Ordinal));
        Assert.Contains(expected, e => !e.EndsWith("invalid", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadDocuments_Seed_GivesTheSeedTopologyWithTheLintWarning()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml);

        Assert.True(result.IsValid);
        Assert.Equal(Samples.Seed, result.Topology);
        Assert.Equal(
            ["topology.yaml:19:19: warning: vrrpInstances[0].trackChecks[0]: weight -15 of check 'nginx' can never change which node is MASTER of 'VI_1' (priorities lb1 100, lb2 80: 100-15=85 is still above 80); a weight of -21 or lower would, or 0 puts the instance into FAULT"],
            result.Lines());
    }

    [Fact]
    public void LoadDocuments_SchemaErrors_AreAllReportedWithTheirLocations()
    {
        var yaml = Samples.SeedYaml
            .Replace("weight: 5", "weight: 70000", StringComparison.Ordinal)
            .Replace("port: 80\n      - address", "port: 80\n        wieght: 2\n      - address", StringComparison.Ordinal)
            .Replace("interface: eth0", "interfac: eth0", StringComparison.Ordinal)
            .Replace("persistence: {timeout: 50s}", "persistence: {timeout: 50x}", StringComparison.Ordinal)
            .Replace("lb2: 80", "lb2: 300", StringComparison.Ordinal)
            .Replace("scheduler: wrr", "scheduler: wrrr", StringComparison.Ordinal)
            .Replace("password: \"1111\"", "password: 1111", StringComparison.Ordinal)
            .Replace("    port: 80\n    scheduler", "    port: \"80\"\n    scheduler", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Null(result.Topology);
        Assert.Equal(
            [
                "topology.yaml:13:5: error: vrrpInstances[0]: missing required property 'interface'",
                "topology.yaml:14:5: error: vrrpInstances[0].interfac: unknown property 'interfac'; did you mean 'interface'?",
                "topology.yaml:16:33: error: vrrpInstances[0].priorities.lb2: 300 is greater than the maximum 255",
                "topology.yaml:17:32: error: vrrpInstances[0].authentication.password: expected text but found the number 1111; quote it: \"1111\"",
                "topology.yaml:23:11: error: services[0].port: expected a whole number but found the text '80'",
                "topology.yaml:24:16: error: services[0].scheduler: 'wrrr' is not one of rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos; did you mean 'wrr'?",
                "topology.yaml:26:28: error: services[0].persistence.timeout: '50x' is not a duration (examples: 100ms, 1s, 1.5s, 5m, 1h30m)",
                "topology.yaml:38:9: error: services[0].realServers[0].wieght: unknown property 'wieght'; did you mean 'weight'?",
                "topology.yaml:41:17: error: services[0].realServers[1].weight: 70000 is greater than the maximum 65535",
            ],
            result.Lines());
        Assert.All(result.Diagnostics, d => Assert.Equal("schema", d.Code));
    }

    [Fact]
    public void LoadDocuments_MissingRequiredProperties_PointAtTheObject() =>
        Assert.Equal(
            [
                "topology.yaml:2:5: error: nodes[0]: missing required property 'name'",
                "topology.yaml:8:9: error: services[0].realServers[0]: missing required property 'port'",
            ],
            LoaderHelpers.Load("nodes:\n  - addresses: []\nservices:\n  - name: x\n    address: 10.0.0.1\n    port: 80\n    realServers:\n      - address: 10.0.0.2\n").Lines());

    [Fact]
    public void LoadDocuments_WrongTypes_SayWhatWasFound() =>
        Assert.Equal(
            [
                "topology.yaml:4:17: error: nodes[0].interfaces: expected a list but found the text 'eth0'",
                "topology.yaml:15:22: error: vrrpInstances[0].virtualRouterId: expected a whole number but found a list",
                "topology.yaml:16:14: error: vrrpInstances[0].preempt: expected true or false but found 'yes' (YAML 1.2 reads it as text)",
            ],
            LoaderHelpers.Load(Samples.SeedYaml
                .Replace("    interfaces: [eth0]\n  - name: lb2", "    interfaces: eth0\n  - name: lb2", StringComparison.Ordinal)
                .Replace("virtualRouterId: 51", "virtualRouterId: [51]\n    preempt: yes", StringComparison.Ordinal)).Lines());

    [Fact]
    public void LoadDocuments_NumberBeyond64Bits_IsOutOfRange() =>
        Assert.Equal(
            ["topology.yaml:40:17: error: services[0].realServers[1].weight: 99999999999999999999999 is greater than the maximum 65535"],
            LoaderHelpers.Load(Samples.SeedYaml.Replace("weight: 5", "weight: 99999999999999999999999", StringComparison.Ordinal)).Lines());

    [Fact]
    public void LoadDocuments_SchemaErrors_HoldBackSemanticRules()
    {
        // A duplicate name is there too, but the schema error comes first: semantic rules would only guess.
        var yaml = Samples.SeedYaml
            .Replace("  - name: lb2\n    addresses", "  - name: lb1\n    addresses", StringComparison.Ordinal)
            .Replace("weight: 5", "weight: -1", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(["topology.yaml:40:17: error: services[0].realServers[1].weight: -1 is less than the minimum 0"], result.Lines());
    }

    [Fact]
    public void LoadDocuments_SemanticErrors_AreAllReported()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - name: lb2\n    addresses", "  - name: lb1\n    addresses", StringComparison.Ordinal)
            .Replace("[{check: nginx}]", "[{check: nginz}]", StringComparison.Ordinal)
            .Replace("  - address: 192.168.1.104\n        port: 80", "  - address: 192.168.1.104\n        port: 8080", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Null(result.Topology);
        Assert.Equal(
            [
                "topology.yaml:5:11: error: nodes[1].name: duplicate node name 'lb1' (first at topology.yaml:2:11)",
                "topology.yaml:16:28: error: vrrpInstances[0].priorities.lb2: no node is named 'lb2'; did you mean 'lb1'?",
                "topology.yaml:19:27: error: vrrpInstances[0].trackChecks[0].check: no check is named 'nginz'; did you mean 'nginx'?",
                "topology.yaml:39:15: error: services[0].realServers[1].port: real server 192.168.1.104:8080 uses dr forwarding, which cannot change the port: use port 80 like the service, or nat forwarding",
            ],
            result.Lines());
    }

    [Fact]
    public void LoadDocuments_WarningsOnly_IsValid()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void LoadDocuments_SeveralFiles_ConcatenateListsAndLocateInTheRightFile()
    {
        var nodes = "nodes:\n  - name: lb1\n    addresses: [192.168.1.104]\n    interfaces: [eth0]\n  - name: lb2\n    addresses: [192.168.1.103]\n    interfaces: [eth0]\n";
        var vrrp = Samples.SeedYaml[Samples.SeedYaml.IndexOf("checks:", StringComparison.Ordinal)..Samples.SeedYaml.IndexOf("services:", StringComparison.Ordinal)];
        var web = Samples.SeedYaml[Samples.SeedYaml.IndexOf("services:", StringComparison.Ordinal)..];
        var api = "services:\n  - name: api\n    address: 192.168.1.120\n    port: 443\n    realServers:\n      - address: 192.168.1.103\n        port: 443\n        weight: 70000\n";

        var result = LoaderHelpers.Load(
            new TopologyDocument("10-nodes.yaml", nodes),
            new TopologyDocument("20-vrrp.yaml", vrrp),
            new TopologyDocument("30-web.yaml", web),
            new TopologyDocument("40-api.yaml", api));

        // services[1] is the first service of the fourth file.
        Assert.Equal(["40-api.yaml:8:17: error: services[1].realServers[0].weight: 70000 is greater than the maximum 65535"], result.Lines());
        Assert.Equal(new Diagnostics.SourceLocation("40-api.yaml", 2, 11), result.SourceMap.GetValue("/services/1/name"));
        Assert.Equal(new Diagnostics.SourceLocation("30-web.yaml", 2, 11), result.SourceMap.GetValue("/services/0/name"));
    }

    [Fact]
    public void LoadPaths_Directory_MergesYamlFilesInNameOrder()
    {
        var directory = Directory.CreateTempSubdirectory("reconciler-topology-");
        try
        {
            var seed = Samples.SeedYaml;
            var services = seed.IndexOf("services:", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(directory.FullName, "b-services.yml"), seed[services..]);
            File.WriteAllText(Path.Combine(directory.FullName, "a-cluster.yaml"), seed[..services]);
            File.WriteAllText(Path.Combine(directory.FullName, "README.md"), "not a topology");

            var result = TopologyLoader.LoadPaths([directory.FullName]);

            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
            Assert.Equal(Samples.Seed, result.Topology);
            Assert.Equal(new Diagnostics.SourceLocation(Path.Combine(directory.FullName, "b-services.yml"), 2, 11), result.SourceMap.GetValue("/services/0/name"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadPaths_ErrorsInSeveralFiles_AreAllReportedInFileOrder()
    {
        var directory = Directory.CreateTempSubdirectory("reconciler-topology-");
        try
        {
            var first = Path.Combine(directory.FullName, "1.yaml");
            var second = Path.Combine(directory.FullName, "2.yaml");
            File.WriteAllText(first, "nodes:\n  - name: lb1\n    addresses: [10.0.0.300]\n");
            File.WriteAllText(second, "nodes:\n  - name: lb2\n    adresses: [10.0.0.2]\n");

            var result = TopologyLoader.LoadPaths([directory.FullName]);

            Assert.Equal(
                [
                    $"{first}:3:17: error: nodes[0].addresses[0]: '10.0.0.300' is not an IP address",
                    $"{second}:3:5: error: nodes[1].adresses: unknown property 'adresses'; did you mean 'addresses'?",
                ],
                result.Lines());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadPaths_MissingPathAndEmptyDirectory_AreReported()
    {
        var directory = Directory.CreateTempSubdirectory("reconciler-topology-");
        try
        {
            var missing = Path.Combine(directory.FullName, "missing.yaml");

            var result = TopologyLoader.LoadPaths([missing, directory.FullName]);

            Assert.Equal(
                [
                    $"error: {missing}: no such file or directory",
                    $"error: {directory.FullName}: the directory has no *.yaml or *.yml files",
                ],
                result.Lines());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadPaths_InvalidUtf8_ReportsNotText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reconciler-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllBytes(path, [(byte)'a', (byte)':', (byte)' ', 0xC3, 0x28, (byte)'\n']);

            var result = TopologyLoader.LoadPaths([path]);

            Assert.Equal([$"{path}:1:1: error: the file is not UTF-8 text"], result.Lines());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadPaths_ByteOrderMark_IsSkipped()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reconciler-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, Samples.SeedYaml, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            var result = TopologyLoader.LoadPaths([path]);

            Assert.Equal(Samples.Seed, result.Topology);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadDocuments_NoDocuments_ReportsIt() =>
        Assert.Equal(["error: no topology files were given"], TopologyLoader.LoadDocuments([]).Lines());

    [Theory]
    [InlineData("- name: lb1\n", "topology.yaml:1:1: error: (top level): expected a mapping with nodes, checks, vrrpInstances, vrrpSyncGroups, services and/or mail but found a list")]
    [InlineData("hello\n", "topology.yaml:1:1: error: (top level): expected a mapping with nodes, checks, vrrpInstances, vrrpSyncGroups, services and/or mail but found 'hello'")]
    [InlineData("node:\n  - name: lb1\n", "topology.yaml:1:1: error: unknown top-level key 'node'; did you mean 'nodes'?")]
    [InlineData("nodes: {name: lb1}\n", "topology.yaml:1:8: error: nodes: expected a list but found a mapping")]
    public void LoadDocuments_BadTopLevel_IsReported(string yaml, string expected) =>
        Assert.Equal([expected], LoaderHelpers.Load(yaml).Lines());

    [Fact]
    public void LoadDocuments_EmptySection_IsAnEmptyList()
    {
        var result = LoaderHelpers.Load("nodes:\nservices: []\n");

        Assert.True(result.IsValid);
        Assert.Equal(Topology.Model.Topology.Empty, result.Topology);
    }
}
