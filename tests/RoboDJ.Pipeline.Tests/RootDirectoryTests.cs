using RoboDJ.Testing;

namespace RoboDJ.Pipeline.Tests;

public class RootDirectoryTests
{
    [Fact]
    public void The_root_is_found_above_the_build_program_before_the_current_folder()
    {
        using var repo = new TempDir("root-repo");
        using var elsewhere = new TempDir("root-elsewhere");
        Directory.CreateDirectory(repo.Combine(".nuke"));
        Directory.CreateDirectory(elsewhere.Combine(".nuke"));
        var bin = Directory.CreateDirectory(repo.Combine(".nuke", "temp", "bin")).FullName;
        Assert.Equal(repo.Path, PipelineHost.FindRoot(bin, elsewhere.Path));
    }

    [Fact]
    public void Without_a_root_above_the_build_program_the_current_folder_is_searched()
    {
        using var program = new TempDir("root-program");
        using var repo = new TempDir("root-cwd");
        Directory.CreateDirectory(repo.Combine(".nuke"));
        var sub = Directory.CreateDirectory(repo.Combine("docs")).FullName;
        Assert.Equal(repo.Path, PipelineHost.FindRoot(program.Path, sub));
        Assert.Equal(program.Path, PipelineHost.FindRoot(program.Path, program.Path));
    }
}
