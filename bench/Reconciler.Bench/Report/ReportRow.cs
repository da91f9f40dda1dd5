namespace Reconciler.Bench.Report;

/// <summary>
/// One line of the report: a figure, ours and the anchor as numbers (in <see cref="Unit"/>) and as printed, and
/// ours / anchor. The anchor is measured in the same run (ipvsadm, keepalived) unless its text says it is a target.
/// </summary>
internal sealed record ReportRow(
    string Figure,
    string Where,
    double? Ours,
    double? Anchor,
    string Unit,
    string OursText,
    string AnchorText,
    double? Ratio,
    string Source);
