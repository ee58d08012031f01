using RoboDJ.Pipeline.Tests.Support;

namespace RoboDJ.Pipeline.Tests;

public class ExitCodeTests
{
    [Fact]
    public void Success_is_0_a_failed_target_1_and_bad_input_2()
    {
        using var h = new Harness();
        Assert.Equal(0, h.Run<ChainBuild>("C").ExitCode);
        Assert.Equal(1, h.Run<FailureBuild>("Fragile").ExitCode);
        Assert.Equal(2, h.Run<ChainBuild>("D").ExitCode);
        Assert.Equal(2, h.Run<ChainBuild>("C", "--verbosity", "loud").ExitCode);
    }

    [Fact]
    public void A_build_can_map_a_failure_class_to_its_own_code()
    {
        using var h = new Harness();
        var run = h.Run<ExitCodeBuild>("Rotate", "Rollback");
        Assert.Equal(10, run.ExitCode);
        Assert.Equal(TargetStatus.Failed, run.Status("Rotate"));
        Assert.Equal(TargetStatus.Succeeded, run.Status("Rollback"));
    }

    [Fact]
    public void The_default_mapping_applies_when_the_override_passes_through()
    {
        using var h = new Harness();
        Assert.Equal(1, h.Run<ExitCodeBuild>("Rotate").ExitCode);
        Assert.Equal(2, h.Run<ExitCodeBuild>("Nope").ExitCode);
    }
}
