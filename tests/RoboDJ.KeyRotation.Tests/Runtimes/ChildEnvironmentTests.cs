using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class ChildEnvironmentTests
{
    static readonly Dictionary<string, string> Shell = new()
    {
        ["PATH"] = "/usr/bin", ["HOME"] = "/home/op", ["LC_ALL"] = "C.UTF-8", ["DOTNET_ROOT"] = "/opt/dotnet", ["PYTHONPATH"] = "/opt/lib",
        ["DOCKER_HOST"] = "unix:///run/docker.sock", ["COMPOSE_PROFILES"] = "robodj",
        ["ROBODJ_SECRET_KEY"] = "a", ["ROBODJ_SECRET_V2_KEY"] = "b", ["ROBODJ_ENV"] = "c",
        ["GITHUB_TOKEN"] = "ghp_x", ["DASHBOARD_PASSWORD"] = "pw", ["WEBHOOK_URL"] = "https://hooks/x", ["AWS_SECRET_ACCESS_KEY"] = "s",
    };

    [Theory]
    [InlineData(ChildProcess.App, new[] { "DOTNET_ROOT", "HOME", "LC_ALL", "PATH", "PYTHONPATH" })]
    [InlineData(ChildProcess.Compose, new[] { "COMPOSE_PROFILES", "DOCKER_HOST", "HOME", "LC_ALL", "PATH" })]
    [InlineData(ChildProcess.Script, new[] { "HOME", "LC_ALL", "PATH", "PYTHONPATH" })]
    public void Each_child_gets_only_its_allow_list_never_a_key_a_token_or_a_password(ChildProcess kind, string[] expected)
    {
        Assert.Equal(expected, ChildEnvironment.For(kind, Shell).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Overrides_leave_a_runner_that_merges_with_this_process_exactly_the_allow_list()
    {
        var overrides = ChildEnvironment.AsOverrides(ChildProcess.Script, Shell);

        Assert.Null(overrides["ROBODJ_SECRET_KEY"]);
        Assert.Null(overrides["GITHUB_TOKEN"]);
        Assert.Equal("/opt/lib", overrides["PYTHONPATH"]);
        Assert.All(ChildEnvironment.Current().Keys.Where(name => !Shell.ContainsKey(name)), name => Assert.Null(overrides[name]));
    }
}
