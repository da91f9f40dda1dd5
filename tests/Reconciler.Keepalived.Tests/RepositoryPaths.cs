namespace Reconciler.Keepalived.Tests;

/// <summary>Finds checked-in files (examples/) from the test binary's directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples(params string[] parts) => Path.Combine([Root, "examples", .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "examples")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root (with examples/ and src/) not found above " + AppContext.BaseDirectory);
    }
}
