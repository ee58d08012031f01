using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>Preflight refuses a launcher that Start could not run, naming the file and why.</summary>
public sealed class LauncherCheckTests : IDisposable
{
    readonly TempDir dir = new("robodj-launcher");
    readonly Dictionary<string, string> environment = new() { ["PATH"] = "/usr/bin:/bin" };

    string Script(string text, bool executable = true)
    {
        var path = dir.Combine("RoboDJ_Launcher.sh");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | (executable ? UnixFileMode.UserExecute : 0));
        return path;
    }

    [Theory]
    [InlineData("#!/usr/bin/robodj-no-such-interpreter\nexec app\n", "line 1 names the interpreter /usr/bin/robodj-no-such-interpreter, which does not exist")]
    [InlineData("#!/usr/bin/env robodj-no-such-program\nexec app\n", "line 1 runs `robodj-no-such-program` through env, and no robodj-no-such-program is on the PATH")]
    [InlineData("#!\nexec app\n", "line 1 is \"#!\" with no interpreter")]
    public void An_executable_script_whose_interpreter_is_missing_is_refused(string text, string why)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("#! lines are a Unix matter");
        var path = Script(text);

        var error = Assert.Throws<LauncherNotRunnableException>(() => LauncherCheck.ThrowIfNotRunnable(path, environment));

        Assert.Contains(path, error.Message);
        Assert.Contains(why, error.Message);
        Assert.Contains("Fix:", error.Message);
    }

    [Theory]
    [InlineData("#!/bin/sh\nexec app\n", true)]
    [InlineData("#!/usr/bin/env sh\nexec app\n", true)]
    [InlineData("exec app\n", true)]
    // Without the execute bit it runs through /bin/sh, which takes the #! line for a comment.
    [InlineData("#!/usr/bin/robodj-no-such-interpreter\nexec app\n", false)]
    public void A_script_that_Start_can_run_passes(string text, bool executable) =>
        LauncherCheck.ThrowIfNotRunnable(Script(text, executable), environment);

    [Fact]
    public void A_folder_is_refused_and_a_missing_file_is_named()
    {
        var folder = Directory.CreateDirectory(dir.Combine("RoboDJ_Launcher.sh")).FullName;
        Assert.Contains("it is a folder", Assert.Throws<LauncherNotRunnableException>(() => LauncherCheck.ThrowIfNotRunnable(folder, environment)).Message);
        Assert.Equal(dir.Combine("missing.sh"), Assert.Throws<LauncherMissingException>(() => LauncherCheck.ThrowIfNotRunnable(dir.Combine("missing.sh"), environment)).Path);
    }

    /// <summary>
    /// A less trusted user may write the deployment: a FIFO planted as the launcher held Preflight in open() for good,
    /// deaf to SIGTERM. Should the check block again, the test writes to the pipe itself so that it fails instead of hanging.
    /// </summary>
    [Fact]
    public async Task A_fifo_as_the_launcher_is_refused_at_once_as_a_named_pipe()
    {
        var path = dir.Combine("RoboDJ_Launcher.sh");
        HostileFiles.Fifo(path);

        var check = Task.Run(() => Record.Exception(() => LauncherCheck.ThrowIfNotRunnable(path, environment)));
        if (await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)) != check)
        {
            await using (new FileStream(path, FileMode.Open, FileAccess.Write)) { }
            await check;
            Assert.Fail("the launcher check waited on the named pipe");
        }

        var error = Assert.IsType<LauncherNotRunnableException>(await check);
        Assert.Contains($"{path} is a named pipe (FIFO)", error.Message);
        Assert.Contains("Fix:", error.Message);
    }

    /// <summary>
    /// Start sends the app's output to the launcher log with the shell's >>, which follows a link and waits on a FIFO: a
    /// link to a file outside the deployment had the build's user append to that file (exit 0, no word of it), and a FIFO
    /// failed Start and then the rollback's Start (exit 5, app down). Both are refused before any change, naming the log.
    /// </summary>
    [Theory]
    [InlineData("outside", "outside the deployment root")]
    [InlineData("fifo", "is a named pipe (FIFO)")]
    public void A_launcher_log_that_leads_outside_the_deployment_or_is_a_fifo_is_refused(string spoil, string why)
    {
        var root = Directory.CreateDirectory(dir.Combine("deployment")).FullName;
        var log = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "logs")).FullName, "launcher.log");
        var outside = dir.Combine("outside.txt");
        File.WriteAllText(outside, "not the app's\n");
        if (spoil == "fifo") HostileFiles.Fifo(log); else HostileFiles.Link(log, outside);

        var error = Assert.Throws<LauncherLogRefusedException>(() => LauncherCheck.ThrowIfLogUnsafe(log, root));

        Assert.Contains(log, error.Message);
        Assert.Contains(why, error.Message);
        Assert.Contains("Fix:", error.Message);
        // Start refuses it too, after Stop and the key shift: only Preflight's headline may say nothing was changed.
        Assert.DoesNotContain("nothing was changed", error.Message);
        Assert.Equal("not the app's\n", File.ReadAllText(outside));
    }

    [Fact]
    public void A_launcher_log_that_is_a_file_inside_the_deployment_or_not_there_yet_passes()
    {
        var root = Directory.CreateDirectory(dir.Combine("deployment")).FullName;
        var log = Path.Combine(root, "launcher.log");
        LauncherCheck.ThrowIfLogUnsafe(log, root);
        File.WriteAllText(log, "");
        LauncherCheck.ThrowIfLogUnsafe(log, root);
        LauncherCheck.ThrowIfLogUnsafe(null, root);
    }

    public void Dispose() => dir.Dispose();
}
