using RoboDJ.Pipeline.IO;
using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests;

/// <summary>The Windows branch of the atomic writer, natively (ci.yml's windows job); under Wine: AtomicFileOnWindowsUnderWineTests.</summary>
public sealed class AtomicFileOnWindowsTests
{
    static void RequireWindows()
    {
        if (!OperatingSystem.IsWindows()) Assert.Skip("the Windows branch of AtomicFile (under Wine: RoboDJ.Build.Tests' AtomicFileOnWindowsUnderWineTests)");
    }

    [Fact]
    public void A_replaced_file_keeps_its_read_only_and_hidden_attributes_and_gets_the_new_bytes()
    {
        RequireWindows();
        using var dir = new TempDir("robodj-windows-atomic");
        var file = dir.Combine(".env");
        File.WriteAllText(file, "ROBODJ_ENV=old\n");
        File.SetAttributes(file, FileAttributes.ReadOnly | FileAttributes.Hidden);

        AtomicFile.WriteAllText(file, "ROBODJ_ENV=new\n");

        Assert.Equal("ROBODJ_ENV=new\n", File.ReadAllText(file));
        Assert.Equal(FileAttributes.ReadOnly | FileAttributes.Hidden, File.GetAttributes(file) & (FileAttributes.ReadOnly | FileAttributes.Hidden));
        Assert.Equal([".env"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        File.SetAttributes(file, FileAttributes.Normal);
    }

    [Fact]
    public async Task A_file_held_open_without_sharing_for_a_moment_is_replaced_once_its_holder_lets_go()
    {
        RequireWindows();
        using var dir = new TempDir("robodj-windows-atomic");
        var file = dir.Combine("settings.json");
        File.WriteAllText(file, "{\"old\": true}\n");
        var holder = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var release = Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken).ContinueWith(_ => holder.Dispose(), TaskScheduler.Default);

        AtomicFile.WriteAllText(file, "{\"new\": true}\n");
        await release;

        Assert.Equal("{\"new\": true}\n", File.ReadAllText(file));
        Assert.Equal(["settings.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public void A_file_held_open_past_the_patience_is_refused_naming_it_its_holder_and_the_fix_and_is_left_unchanged()
    {
        RequireWindows();
        using var dir = new TempDir("robodj-windows-atomic");
        var file = dir.Combine("settings.json");
        File.WriteAllText(file, "{\"old\": true}\n");
        var patience = WindowsFileReplacement.HeldOpenPatience;
        WindowsFileReplacement.HeldOpenPatience = TimeSpan.FromSeconds(1);
        try
        {
            using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var refused = Assert.Throws<FileHeldOpenException>(() => AtomicFile.WriteAllText(file, "{\"new\": true}\n"));

                Assert.Contains($"{file} is held open without sharing by", refused.Message);
                Assert.Contains("Fix: close", refused.Message);
                // The Restart Manager names the holder, this test process, when it can tell.
                Assert.True(refused.Holders.Count == 0 || refused.Holders.Any(h => h.StartsWith($"pid {Environment.ProcessId} ", StringComparison.Ordinal)), refused.Message);
            }
            Assert.Equal("{\"old\": true}\n", File.ReadAllText(file));
            Assert.Equal(["settings.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        }
        finally { WindowsFileReplacement.HeldOpenPatience = patience; }
    }
}
