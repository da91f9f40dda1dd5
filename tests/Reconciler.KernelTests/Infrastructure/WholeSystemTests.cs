namespace Reconciler.KernelTests.Infrastructure;

/// <summary>Tests that run whole systems for minutes (the seed scenario's directors, the Debian package under systemd):
/// one after the other, never two at once in the two-CPU guest.</summary>
public static class WholeSystemTests
{
    public const string Collection = "whole-system";
}
