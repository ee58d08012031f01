using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Sandbox;

namespace RoboDJ.Build.Tests;

/// <summary>What the sandbox app of a site runs with: its last PASS line (pid, V1) and the processes that serve the site.</summary>
public static class RunningApp
{
    /// <summary>Exactly one app process serves the site, it wrote the last PASS line and that line reports <paramref name="v1"/>.</summary>
    public static void AssertRunsWith(SandboxSite site, Fingerprint v1)
    {
        var pass = File.ReadLines(site.Paths.StartupLog).Last(l => l.Contains(StartupLog.PassText, StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(pass);
        var pid = doc.RootElement.GetProperty("pid").GetInt32();
        Assert.Equal(v1.ToString(), doc.RootElement.GetProperty("v1").GetString());
        Assert.Equal(pid.ToString(), File.ReadAllText(Path.Combine(site.Root, SandboxLayout.PidFileName)).Trim());
        Assert.Equal([pid], AppPids(site));
    }

    /// <summary>
    /// The live processes whose command line names the site's root (the launcher script, then the app with --root &lt;root&gt;),
    /// except a build, which names it as --deployment-root.
    /// </summary>
    public static IReadOnlyList<int> AppPids(SandboxSite site) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && IsApp(CommandLine(pid), site.Root) && !IsZombie(pid))
            .ToList();

    static bool IsApp(string commandLine, string root) =>
        commandLine.Contains(root, StringComparison.Ordinal) && !commandLine.Contains("--deployment-root", StringComparison.Ordinal);

    /// <summary>The number of lines of the site's unfinished journal; 0 while there is none or its first line is still being written.</summary>
    public static int JournalLines(SandboxSite site)
    {
        try { return RoboDJ.KeyRotation.Journal.RotationJournal.FindUnfinished(site.Paths.KeyRotation)?.Entries.Count ?? 0; }
        catch (RoboDJ.KeyRotation.Journal.JournalCorruptException) { return 0; }
    }

    static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    static bool IsZombie(int pid)
    {
        try { var stat = File.ReadAllText($"/proc/{pid}/stat"); return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return true; }
    }
}
