using System.Diagnostics;

namespace Reconciler.Tests.Shared.Browser;

/// <summary>What one headless Chromium load gave: the DOM after the page's scripts ran, and the screenshot's path.</summary>
internal sealed partial record LoadedPage(string Dom, string? Screenshot)
{
    /// <summary>The DOM without its script elements: what the page shows, not the code that draws it.</summary>
    public string Shown => ScriptElement().Replace(Dom, "");

    [System.Text.RegularExpressions.GeneratedRegex("<script\\b.*?</script>", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ScriptElement();
}

/// <summary>
/// Debian's <c>chromium</c> (tests/lab/prepare.sh installs it), headless, loading one page once: <c>--dump-dom</c> and
/// <c>--screenshot</c> in the same launch (under the lab's software emulation a launch takes a minute or two, on the
/// host a few seconds). <c>--virtual-time-budget</c> lets the page's timers and fetches run to that much virtual time
/// (pending fetches hold the clock), so the dump shows what its script rendered, whatever the machine's speed.
/// </summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Long enough for a launch under the lab's emulation with other guests on the host; a bound, not a
    /// measurement.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);

    /// <summary>Loads <paramref name="url"/>; in network namespace <paramref name="networkNamespace"/> when given
    /// (<c>ip netns exec</c>); the screenshot (PNG, <paramref name="windowWidth"/> x <paramref name="windowHeight"/>)
    /// written to <paramref name="screenshot"/> when given.</summary>
    public static LoadedPage Load(Uri url, string? screenshot = null, string? networkNamespace = null, int virtualTimeMilliseconds = 3000,
        int windowWidth = 1280, int windowHeight = 1600)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is not installed: tests/lab/prepare.sh installs Debian's chromium package");
        }

        var profile = Directory.CreateTempSubdirectory("chromium-profile-");
        try
        {
            var start = new ProcessStartInfo(networkNamespace is null ? Executable : "ip")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (networkNamespace is not null)
            {
                foreach (var argument in new[] { "netns", "exec", networkNamespace, Executable })
                {
                    start.ArgumentList.Add(argument);
                }
            }

            // Root in a test machine: no sandbox; no GPU; nothing of a desktop browser's background work (extensions,
            // component updates, sync, first-run pages, the D-Bus session the guest does not have).
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--disable-sync", "--disable-breakpad", "--mute-audio", "--password-store=basic",
                "--disable-features=Translate,MediaRouter,OptimizationHints,DialMediaRouteProvider",
                "--user-data-dir=" + profile.FullName,
                $"--virtual-time-budget={virtualTimeMilliseconds}",
                $"--window-size={windowWidth},{windowHeight}",
                "--dump-dom",
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            if (screenshot is not null)
            {
                start.ArgumentList.Add("--screenshot=" + screenshot);
            }

            start.ArgumentList.Add(url.ToString());
            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:";
            start.Environment["HOME"] = profile.FullName;

            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Bound))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {url} within {Bound.TotalMinutes:0} minutes");
            }

            string dom = output.GetAwaiter().GetResult();
            string log = errors.GetAwaiter().GetResult();
            if (process.ExitCode != 0 || dom.Length == 0 || (screenshot is not null && !File.Exists(screenshot)))
            {
                var tail = string.Join('\n', log.Split('\n').Where(l => !l.Contains("dbus", StringComparison.OrdinalIgnoreCase)).TakeLast(30));
                throw new InvalidOperationException($"chromium loading {url} exited {process.ExitCode} with {dom.Length} characters of DOM:\n{tail}");
            }

            return new LoadedPage(dom, screenshot);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
