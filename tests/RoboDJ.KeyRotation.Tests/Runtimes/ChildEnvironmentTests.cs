using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class ChildEnvironmentTests
{
    [Fact]
    public void Every_ROBODJ_variable_is_removed_and_the_rest_kept()
    {
        var source = new Dictionary<string, string> { ["ROBODJ_SECRET_KEY"] = "a", ["ROBODJ_SECRET_V2_KEY"] = "b", ["ROBODJ_ENV"] = "c", ["PATH"] = "/bin", ["ROBODJISH"] = "d" };

        var stripped = ChildEnvironment.Stripped(source);

        Assert.Equal(["PATH", "ROBODJISH"], stripped.Keys.Order());
    }

    [Fact]
    public void Overrides_remove_what_this_process_has_and_the_source_lacks()
    {
        var source = new Dictionary<string, string> { ["ROBODJ_SECRET_KEY"] = "a", ["ONLY_HERE"] = "1" };

        var overrides = ChildEnvironment.AsOverrides(source);

        Assert.Null(overrides["ROBODJ_SECRET_KEY"]);
        Assert.Equal("1", overrides["ONLY_HERE"]);
        Assert.All(ChildEnvironment.Current().Keys, name => Assert.Null(overrides[name]));
    }
}
