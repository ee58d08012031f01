using RoboDJ.KeyRotation.Runtimes;

namespace RoboDJ.KeyRotation.Tests.Runtimes;

public sealed class ProcessOriginTests
{
    static readonly string Root = OperatingSystem.IsWindows() ? @"C:\RoboDJ\deployment" : "/srv/robodj/deployment";
    static string In(params string[] parts) => Path.Combine([Root, .. parts]);
    static string Beside => Root + "-old";

    [Fact]
    public void An_executable_in_the_deployment_ties_the_process_to_it() =>
        Assert.True(new ProcessOrigin(In("app", "RoboDJ Automation.exe"), Beside, "").PointsInto(Root));

    [Fact]
    public void A_working_folder_in_the_deployment_ties_the_process_to_it() =>
        Assert.True(new ProcessOrigin("/usr/bin/python3", In("config"), "python3\0app.py").PointsInto(Root));

    [Theory]
    [InlineData("python3\0app.py\0--root\0{root}")]
    [InlineData("python3\0{root}/app.py")]
    [InlineData("python3 app.py --root=\"{root}\"")]
    public void A_command_line_naming_a_path_in_the_deployment_ties_the_process_to_it(string commandLine) =>
        Assert.True(new ProcessOrigin("/usr/bin/python3", "/", commandLine.Replace("{root}", Root)).PointsInto(Root));

    [Theory]
    [InlineData("sleep\0600")]
    [InlineData("sleep\0{root}-old/600")]
    [InlineData("sleep\0x{root}")]
    public void A_process_whose_origins_all_lie_elsewhere_is_not_the_deployments_even_beside_it_with_the_same_prefix(string commandLine)
    {
        var origin = new ProcessOrigin("/usr/bin/sleep", Beside, commandLine.Replace("{root}", Root));

        Assert.False(origin.PointsInto(Root));
        Assert.Contains("/usr/bin/sleep", origin.Describe());
    }

    [Fact]
    public void This_test_process_is_read_back_with_its_own_executable_and_working_folder()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) Assert.Skip("reads /proc or the Windows process parameters");
        var origin = ProcessTable.OriginOf(Environment.ProcessId);

        Assert.Equal(Environment.ProcessPath, origin.Executable);
        Assert.True(origin.PointsInto(Directory.GetCurrentDirectory()), origin.Describe());
        Assert.True(origin.PointsInto(Path.GetDirectoryName(Environment.ProcessPath)!), origin.Describe());
    }
}
