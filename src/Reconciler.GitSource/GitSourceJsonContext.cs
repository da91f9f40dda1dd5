using System.Text.Json.Serialization;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Diff;
using Reconciler.GitSource.History;
using Reconciler.GitSource.Source;

namespace Reconciler.GitSource;

/// <summary>
/// Source-generated serialization of everything this assembly writes as JSON. <see cref="JsonSerializerContext.Default"/>
/// has the serializer's default options (the source state file, <c>git-source.json</c>); the audit journal, the
/// history and the diff each bind their own options to an instance (<c>new GitSourceJsonContext(options)</c>).
/// </summary>
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(TopologyDiffDocument))]
[JsonSerializable(typeof(GitTopologySource.PersistedState))]
internal sealed partial class GitSourceJsonContext : JsonSerializerContext;
