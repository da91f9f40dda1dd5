using System.Text;

namespace Reconciler.Keepalived.Parsing;

/// <summary>The real file system.</summary>
public sealed class PhysicalFileSystem : IConfigFileSystem
{
    public static PhysicalFileSystem Instance { get; } = new();

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public string? ReadAllText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path, Utf8) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public IEnumerable<string> ListDirectory(string directory, bool directories)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return [];
            }

            var entries = directories ? Directory.GetDirectories(directory) : Directory.GetFiles(directory);
            return entries.Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    public string GetFullPath(string path) => Path.GetFullPath(path);
}
