using System.Collections.Concurrent;

namespace Reconciler.Testing.Fuzzing;

/// <summary>
/// A fuzz target's corpus as copied next to the test binary (<c>corpus/TARGET/</c>): the files at its top are seeds,
/// real inputs; <c>regressions/</c> holds inputs that once broke the target's contract. Both seed the fuzzer, and the
/// target's replay test runs every one of them. <c>crashes/</c> (not checked in, not copied) is where a failing run on
/// the host leaves what it found.
/// </summary>
internal sealed class FuzzCorpus
{
    public const string RegressionsFolder = "regressions";
    public const string CrashesFolder = "crashes";

    private static readonly ConcurrentDictionary<string, FuzzCorpus> Loaded = new(StringComparer.Ordinal);

    private FuzzCorpus(string target, string directory, IReadOnlyList<FuzzCorpusFile> seeds, IReadOnlyList<FuzzCorpusFile> regressions)
    {
        Target = target;
        Directory = directory;
        Seeds = seeds;
        Regressions = regressions;
        Files = [.. seeds, .. regressions];
    }

    public string Target { get; }

    /// <summary>Where the corpus was read from (under the test binary's directory).</summary>
    public string Directory { get; }

    public IReadOnlyList<FuzzCorpusFile> Seeds { get; }

    public IReadOnlyList<FuzzCorpusFile> Regressions { get; }

    /// <summary>Seeds, then regressions, each in ordinal name order.</summary>
    public IReadOnlyList<FuzzCorpusFile> Files { get; }

    public static FuzzCorpus Load(string target) => Loaded.GetOrAdd(target, static target =>
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "corpus", target);
        var seeds = Read(directory, "");
        if (seeds.Count == 0)
        {
            throw new InvalidOperationException(
                $"no seed inputs for fuzz target '{target}' in {directory}: is tests/corpus/{target} copied to the output (a <None> item in the csproj)?");
        }

        return new FuzzCorpus(target, directory, seeds, Read(Path.Combine(directory, RegressionsFolder), RegressionsFolder + "/"));
    });

    /// <summary>The names of every file (<c>seed.yaml</c>, <c>regressions/x.bin</c>), for a replay theory.</summary>
    public static TheoryData<string> Names(string target)
    {
        var data = new TheoryData<string>();
        foreach (var file in Load(target).Files)
        {
            data.Add(file.Name);
        }

        return data;
    }

    public FuzzCorpusFile Get(string name) => Files.Single(f => f.Name == name);

    /// <summary>
    /// The checked-in <c>tests/corpus/TARGET</c> when the tests run from a build inside the repository, else null
    /// (a copy of the binaries elsewhere, such as the kernel lab's guest).
    /// </summary>
    public string? FindSourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "corpus", Target);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<FuzzCorpusFile> Read(string directory, string prefix) => System.IO.Directory.Exists(directory)
        ? System.IO.Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path => new FuzzCorpusFile(prefix + Path.GetFileName(path), File.ReadAllBytes(path)))
            .ToList()
        : [];
}

/// <summary>One corpus input; <paramref name="Name"/> is relative to the target's corpus folder.</summary>
internal sealed record FuzzCorpusFile(string Name, byte[] Bytes);
