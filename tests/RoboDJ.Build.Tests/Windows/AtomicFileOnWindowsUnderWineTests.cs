using System.Diagnostics;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Windows;

/// <summary>
/// Issue 21's faithful writes, through the Windows branch of the one atomic writer (AtomicFile), run under Wine by the
/// atomic-writer probe published for win-x64: attributes kept, a file held open without sharing waited for, then
/// refused with the file and the fix, and left as it was.
/// </summary>
[Collection(WineCollection.Name)]
public sealed class AtomicFileOnWindowsUnderWineTests
{
    [Fact]
    public async Task A_replaced_file_keeps_its_read_only_and_hidden_attributes_and_gets_the_new_bytes()
    {
        var probe = (await WinePeer.ProgramsAsync()).ProbeExe;
        using var dir = new TempDir("robodj-wine-atomic");
        var file = dir.Combine(".env");
        File.WriteAllText(file, "ROBODJ_ENV=old\n");
        Assert.Equal(0, (await WinePeer.RunAsync(probe, ["attributes", WinePeer.WindowsPath(file), "ReadOnly, Hidden"])).ExitCode);

        var write = await WinePeer.RunAsync(probe, ["write", WinePeer.WindowsPath(file), "ROBODJ_ENV=new\n"]);

        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Contains("attributes: ReadOnly, Hidden", write.Output);
        Assert.Equal("ROBODJ_ENV=new\n", File.ReadAllText(file));
        Assert.Equal([".env"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_held_open_without_sharing_for_a_moment_is_replaced_once_its_holder_lets_go()
    {
        var probe = (await WinePeer.ProgramsAsync()).ProbeExe;
        using var dir = new TempDir("robodj-wine-atomic");
        var file = dir.Combine("settings.json");
        File.WriteAllText(file, "{\"old\": true}\n");
        using var holder = await HoldAsync(probe, file, dir, TimeSpan.FromSeconds(3));

        var write = await WinePeer.RunAsync(probe, ["write", WinePeer.WindowsPath(file), "{\"new\": true}\n"]);

        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Equal("{\"new\": true}\n", File.ReadAllText(file));
        Assert.Equal(["settings.json"], Directory.GetFiles(dir.Path, "*.json*").Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_held_open_past_the_patience_is_refused_naming_the_file_and_the_fix_and_is_left_unchanged()
    {
        var probe = (await WinePeer.ProgramsAsync()).ProbeExe;
        using var dir = new TempDir("robodj-wine-atomic");
        var file = dir.Combine("settings.json");
        File.WriteAllText(file, "{\"old\": true}\n");
        using var holder = await HoldAsync(probe, file, dir, TimeSpan.FromMinutes(2));
        try
        {
            var write = await WinePeer.RunAsync(probe, ["write", WinePeer.WindowsPath(file), "{\"new\": true}\n"]);

            Assert.True(write.ExitCode == 1, write.ToString());
            Assert.Contains($"{WinePeer.WindowsPath(file)} is held open without sharing by", write.Output);
            Assert.Contains("left it unchanged. Fix: close", write.Output);
            Assert.True(write.Took >= TimeSpan.FromSeconds(9), $"refused after {write.Took}, before its patience ran out");
            Assert.Equal("{\"old\": true}\n", File.ReadAllText(file));
            Assert.Equal(["settings.json"], Directory.GetFiles(dir.Path, "*.json*").Select(Path.GetFileName));
        }
        finally { WinePeer.EndAllWindowsProcesses(); }
    }

    /// <summary>A Windows process that opens <paramref name="file"/> without sharing and keeps it for <paramref name="howLong"/>.</summary>
    static async Task<Process> HoldAsync(string probe, string file, TempDir dir, TimeSpan howLong)
    {
        var log = dir.Combine("holder.log");
        var holder = WinePeer.StartDetached(probe, ["hold", WinePeer.WindowsPath(file), ((int)howLong.TotalMilliseconds).ToString()], log);
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(log) && File.ReadAllText(log).Contains("holding")))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"the holder never took {file}");
            await Task.Delay(50);
        }
        return holder;
    }
}
