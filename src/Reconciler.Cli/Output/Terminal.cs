namespace Reconciler.Cli.Output;

/// <summary>Whether output goes to a person (colors) or to a pipe (none). NO_COLOR is honoured.</summary>
internal static class Terminal
{
    public static bool UseColor =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"reconciler: {message}");
        return ExitCodes.Error;
    }
}

/// <summary>Exit codes shared by every command (Terraform's for --detailed-exitcode).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Changes = 2;
}
