using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

/// <summary>Preflight errors a user can cause; none of these needs a running engine.</summary>
public sealed class DockerRuntimeConfigurationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static DockerComposeOptions Options(TempDir dir, string project = "robodj", string? dockerHost = "unix:///nonexistent/docker.sock", string? path = null)
    {
        var env = new Dictionary<string, string>(ChildEnvironment.Current());
        if (dockerHost is not null) env["DOCKER_HOST"] = dockerHost;
        if (path is not null) env["PATH"] = path;
        return new DockerComposeOptions { DeploymentRoot = dir.Path, ProjectName = project, Environment = env };
    }

    static TempDir WithComposeFile()
    {
        var dir = new TempDir("robodj-compose");
        File.WriteAllText(dir.Combine("docker-compose.yaml"), "version: \"3.8\"\nservices:\n  app:\n    image: robodj-busybox:test\n");
        return dir;
    }

    [Fact]
    public async Task A_missing_compose_file_is_named_in_the_error()
    {
        using var dir = new TempDir("robodj-compose");
        using var runtime = new DockerComposeRuntime(Options(dir));

        var error = await Assert.ThrowsAsync<ComposeFileMissingException>(() => runtime.CheckReachableAsync(Ct));

        Assert.Equal(dir.Combine("docker-compose.yaml"), error.Path);
        Assert.Contains(dir.Combine("docker-compose.yaml"), error.Message);
        Assert.Contains("Fix:", error.Message);
    }

    [Theory]
    [InlineData("services:\n  app:\n    image: x\n   ports: [\"1\"]\n", "line 4")]
    [InlineData("version: \"3.8\"\nservices:\n  app:\n    image: x\n    nonsense: 1\n", "nonsense")]
    public async Task A_compose_file_that_compose_refuses_is_a_refusal_naming_the_file_and_compose_words(string yaml, string named)
    {
        Peers.ComposeCli();
        using var dir = new TempDir("robodj-compose");
        File.WriteAllText(dir.Combine("docker-compose.yaml"), yaml);
        using var runtime = new DockerComposeRuntime(Options(dir));

        var error = await Assert.ThrowsAsync<ComposeFileInvalidException>(() => runtime.CheckReachableAsync(Ct));

        Assert.Contains(dir.Combine("docker-compose.yaml"), error.Message);
        Assert.Contains(named, error.Message);
        Assert.Contains("Fix:", error.Message);
    }

    [Theory]
    [InlineData("RoboDJ")]
    [InlineData("-robodj")]
    [InlineData("robo dj")]
    [InlineData("robo.dj")]
    [InlineData("")]
    public async Task A_bad_project_name_is_refused_with_the_compose_rule(string name)
    {
        using var dir = WithComposeFile();
        using var runtime = new DockerComposeRuntime(Options(dir, project: name));

        var error = await Assert.ThrowsAsync<InvalidComposeProjectNameException>(() => runtime.CheckReachableAsync(Ct));

        Assert.Contains("lowercase letters, digits, dashes and underscores, and start with a letter or digit", error.Message);
        Assert.Contains($"'{name}'", error.Message);
    }

    [Theory]
    [InlineData("robodj")]
    [InlineData("robodj_staging-2")]
    [InlineData("0robodj")]
    public void Valid_project_names_pass(string name) => Assert.Equal(name, ComposeProjectName.Validate(name));

    [Fact]
    public async Task A_dead_socket_names_the_address_tried_and_the_fix()
    {
        using var dir = WithComposeFile();
        using var runtime = new DockerComposeRuntime(Options(dir, dockerHost: "unix:///nonexistent/docker.sock"));

        var error = await Assert.ThrowsAsync<DockerEngineUnreachableException>(() => runtime.CheckReachableAsync(Ct));

        Assert.Contains("unix:///nonexistent/docker.sock", error.Message);
        Assert.Contains("DOCKER_HOST", error.Message);
        Assert.Equal("unix:///nonexistent/docker.sock", error.Address);
    }

    [Fact]
    public async Task A_dead_socket_fails_Stop_too_before_running_compose()
    {
        using var dir = WithComposeFile();
        using var runtime = new DockerComposeRuntime(Options(dir));

        await Assert.ThrowsAsync<DockerEngineUnreachableException>(() => runtime.StopAsync(Ct));
    }

    [Fact]
    public async Task A_missing_compose_cli_says_how_to_install_one()
    {
        Peers.DockerHost();
        using var dir = WithComposeFile();
        using var empty = new TempDir("robodj-empty-path");
        using var runtime = new DockerComposeRuntime(Options(dir, dockerHost: Environment.GetEnvironmentVariable("DOCKER_HOST"), path: empty.Path));

        var error = await Assert.ThrowsAsync<ComposeCliMissingException>(() => runtime.CheckReachableAsync(Ct));

        Assert.Contains("docker-compose", error.Message);
        Assert.Contains("apt-get install", error.Message);
    }

    [Fact]
    public void DOCKER_HOST_wins_over_the_default_socket_and_garbage_is_refused()
    {
        Assert.Equal(new Uri("tcp://127.0.0.1:2375"), DockerEngineAddress.Resolve("tcp://127.0.0.1:2375"));
        Assert.Equal(new Uri(OperatingSystem.IsWindows() ? DockerEngineAddress.DefaultWindows : DockerEngineAddress.DefaultUnix), DockerEngineAddress.Resolve(null));
        Assert.Throws<DockerEngineUnreachableException>(() => DockerEngineAddress.Resolve("ftp://example"));
    }

    [Theory]
    [InlineData("2026-11-30T03:50:01.123456789Z", "2026-11-30T03:50:01.1234567Z")]
    [InlineData("2026-11-30T03:50:01Z", "2026-11-30T03:50:01Z")]
    public void Docker_timestamps_with_nanoseconds_parse(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ContainerReadiness.ParseDockerTime(text));

    [Fact]
    public void A_never_started_container_has_no_start_time() =>
        Assert.Null(ContainerReadiness.ParseDockerTime("0001-01-01T00:00:00Z"));
}
