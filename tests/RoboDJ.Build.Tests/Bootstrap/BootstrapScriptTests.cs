using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using CliWrap.EventStream;
using RoboDJ.Testing;

namespace RoboDJ.Build.Tests.Bootstrap;

/// <summary>build.sh, build.cmd (under a POSIX shell) and build.ps1 (under real pwsh), run as processes.</summary>
public class BootstrapScriptTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<BufferedCommandResult> Run(string file, params string[] args) =>
        Cli.Wrap(file).WithArguments(args).WithWorkingDirectory(RepositoryRoot.Path)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Ct).Task;

    [Fact]
    public async Task Build_sh_runs_the_build_and_lists_the_targets()
    {
        var result = await Run(RepositoryRoot.Combine("build.sh"), "--help");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Rotate", result.StandardOutput);
        Assert.Contains("Test", result.StandardOutput);
    }

    [Fact]
    public async Task Build_sh_passes_the_build_exit_code_through()
    {
        var result = await Run(RepositoryRoot.Combine("build.sh"), "NoSuchTarget");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("NoSuchTarget", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Build_cmd_under_a_posix_shell_runs_build_sh()
    {
        var result = await Run("/bin/sh", RepositoryRoot.Combine("build.cmd"), "NoSuchTarget");
        Assert.Equal(2, result.ExitCode);
        var ok = await Run("/bin/sh", RepositoryRoot.Combine("build.cmd"), "--help");
        Assert.True(ok.ExitCode == 0, ok.StandardError);
        Assert.Contains("Rotate", ok.StandardOutput);
    }

    [Fact]
    public async Task Build_ps1_under_pwsh_runs_the_build_and_passes_the_exit_code_through()
    {
        var pwsh = Peers.Pwsh();
        var help = await Run(pwsh, "-NoProfile", "-File", RepositoryRoot.Combine("build.ps1"), "--help");
        Assert.True(help.ExitCode == 0, help.StandardError);
        Assert.Contains("Rotate", help.StandardOutput);
        var bad = await Run(pwsh, "-NoProfile", "-File", RepositoryRoot.Combine("build.ps1"), "NoSuchTarget");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Build_sh_says_how_to_install_dotnet_when_it_is_missing()
    {
        using var temp = new TempDir("no-dotnet");
        // A PATH with the tools the script uses but no dotnet, and a HOME without ~/.dotnet.
        var bin = Directory.CreateDirectory(temp.Combine("bin")).FullName;
        foreach (var tool in new[] { "dirname", "find", "sort", "head", "cat", "mkdir" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), Peers.FindOnPath(tool) ?? "/usr/bin/" + tool);
        var result = await Cli.Wrap("/bin/bash").WithArguments([RepositoryRoot.Combine("build.sh"), "--help"])
            .WithEnvironmentVariables(e => e.Set("PATH", bin).Set("HOME", temp.Path).Set("DOTNET_ROOT", null))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Ct);
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("dotnet was not found", result.StandardError);
        Assert.Contains("Install the .NET 10 SDK", result.StandardError);
    }

    [Fact]
    public async Task The_bootstrap_scripts_pass_shellcheck()
    {
        var shellcheck = Peers.FindOnPath("shellcheck");
        if (shellcheck is null) Peers.Missing("no shellcheck on PATH (apt-get install shellcheck)");
        var result = await Run(shellcheck!, RepositoryRoot.Combine("build.sh"), RepositoryRoot.Combine(".ci", "run"), RepositoryRoot.Combine(".ci", "prepare"));
        Assert.True(result.ExitCode == 0, result.StandardOutput);
    }

    [Fact]
    public async Task Build_sh_rebuilds_only_when_an_input_changed()
    {
        using var copy = new TempDir("bootstrap-copy");
        CopyBuildInputs(RepositoryRoot.Path, copy.Path);
        var script = Path.Combine(copy.Path, "build.sh");

        var first = await Run(script, "--help");
        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Contains("compiling the build program", first.StandardError);

        var warm = await Run(script, "--help");
        Assert.Equal(0, warm.ExitCode);
        Assert.Empty(warm.StandardError);

        await File.WriteAllTextAsync(Path.Combine(copy.Path, "build", "Build.Added.cs"), "partial class Build { }\n", Ct);
        var changed = await Run(script, "--help");
        Assert.True(changed.ExitCode == 0, changed.StandardError);
        Assert.Contains("compiling the build program", changed.StandardError);

        File.Delete(Path.Combine(copy.Path, "build", "Build.Added.cs"));
        var removed = await Run(script, "--help");
        Assert.Contains("compiling the build program", removed.StandardError);
    }

    [Theory]
    [InlineData("build.sh")]
    [InlineData("build.ps1")]
    public async Task The_first_run_says_what_it_compiles_while_it_compiles_on_stderr_never_silent_for_long(string bootstrap)
    {
        using var copy = new TempDir("bootstrap-first-run");
        CopyBuildInputs(RepositoryRoot.Path, copy.Path);
        File.Copy(RepositoryRoot.Combine("build.ps1"), Path.Combine(copy.Path, "build.ps1"));
        var command = bootstrap == "build.sh"
            ? Cli.Wrap(Path.Combine(copy.Path, "build.sh")).WithArguments(["--help"])
            : Cli.Wrap(Peers.Pwsh()).WithArguments(["-NoProfile", "-File", Path.Combine(copy.Path, "build.ps1"), "--help"]);
        var clock = Stopwatch.StartNew();
        var progress = new List<(TimeSpan At, string Line)>();
        var stdout = new List<string>();
        var exit = -1;

        await foreach (var e in command.WithValidation(CommandResultValidation.None).ListenAsync(Ct))
            switch (e)
            {
                case StandardErrorCommandEvent err: progress.Add((clock.Elapsed, err.Text)); break;
                case StandardOutputCommandEvent output: stdout.Add(output.Text); break;
                case ExitedCommandEvent exited: exit = exited.ExitCode; break;
            }

        Assert.True(exit == 0, string.Join("\n", progress.Select(p => p.Line)));
        var said = progress.Select(p => p.Line).ToList();
        var order = new[] { "compiling the build program", "restoring NuGet packages", "compiled RoboDJ.Pipeline", "compiled RoboDJ.KeyRotation", "compiled _build", "the build program is ready" }
            .Select(text => said.FindIndex(l => l.StartsWith(Path.GetFileName(bootstrap) + ":", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal))).ToList();
        Assert.True(!order.Contains(-1) && order.SequenceEqual(order.Order()), string.Join("\n", said));
        // Each line came when its step did: the first at once, and never a long silence before the build program ran.
        Assert.True(progress[0].At < TimeSpan.FromSeconds(10), $"first line after {progress[0].At}");
        var ready = progress[order[^1]].At;
        var times = progress.Select(p => p.At).Where(t => t <= ready).Prepend(TimeSpan.Zero).ToList();
        var longest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        if (bootstrap == "build.sh") Assert.True(longest < TimeSpan.FromSeconds(25), $"{longest} without a word:\n{string.Join("\n", progress)}");
        Assert.Contains(stdout, l => l.StartsWith("Usage: ./build.sh", StringComparison.Ordinal));
        Assert.DoesNotContain(stdout, l => l.Contains("compil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_sh_run_from_another_folder_uses_its_own_repository_as_the_root()
    {
        // An explicit --profile only resolves when the root is the repository (its .nuke/ holds parameters.sandbox.json).
        using var elsewhere = new TempDir("bootstrap-cwd");
        var result = await Cli.Wrap(RepositoryRoot.Combine("build.sh")).WithArguments(["Rotate", "--profile", "sandbox", "--env", "sandbox", "--plan"])
            .WithWorkingDirectory(elsewhere.Path).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Ct);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("Execution plan:", result.StandardOutput);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere.Path));

        var rooted = await Cli.Wrap(RepositoryRoot.Combine("build.sh")).WithArguments(["Rotate", "--profile", "sandbox", "--plan", "--root", elsewhere.Path])
            .WithWorkingDirectory(elsewhere.Path).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(Ct);
        Assert.Equal(2, rooted.ExitCode); // --root still wins, and that folder has no .nuke/ (so no parameters.sandbox.json)
        Assert.Contains($"--root {elsewhere.Path} holds no .nuke/ folder", rooted.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere.Path));
    }

    static void CopyBuildInputs(string from, string to)
    {
        foreach (var file in new[] { "build.sh", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(to, "build.sh"), File.GetUnixFileMode(Path.Combine(from, "build.sh")));
        foreach (var dir in new[] { "build", "src", ".nuke" })
            CopyTree(Path.Combine(from, dir), Path.Combine(to, dir));
    }

    static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
            if (Path.GetFileName(dir) is not ("bin" or "obj" or "temp"))
                CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
