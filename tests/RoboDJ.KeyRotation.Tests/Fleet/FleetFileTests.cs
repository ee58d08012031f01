using RoboDJ.KeyRotation.Fleet;
using Xunit;

namespace RoboDJ.KeyRotation.Tests.Fleet;

public sealed class FleetFileTests : IDisposable
{
    readonly TempDir dir = new("robodj-fleet-file");

    const string TwoHosts = """
        # the fleet
        hosts:
          - name: studio-a
            runner: robodj-studio-a
            root: a
            dashboard: http://127.0.0.1:8081/
            startup_log: config/logs/a/startup_safety_events.jsonl
          - name: studio-b
            runner: robodj-studio-b
            root: /srv/robodj-b
            dashboard: http://127.0.0.1:8082/
            startup_log: config/logs/b/startup_safety_events.jsonl
            launcher: bin/start.sh
            process_name: RoboDJ B
            pid_file: robodj.pid
        """;

    string Write(string yaml)
    {
        var path = dir.Combine("fleet.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    FleetFileException Refused(string yaml) => Assert.Throws<FleetFileException>(() => FleetFile.Load(Write(yaml)));

    [Fact]
    public void Hosts_are_read_in_order_with_paths_resolved_against_the_file_and_each_root()
    {
        var fleet = FleetFile.Load(Write(TwoHosts), new FleetHostDefaults("RoboDJ_Launcher.sh", "RoboDJ Automation", null, "launcher.log"));

        Assert.Equal(["studio-a", "studio-b"], fleet.Hosts.Select(h => h.Name));
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        Assert.Equal(dir.Combine("a"), a.Root);
        Assert.Equal(Path.Combine(dir.Path, "a", "config", "logs", "a", "startup_safety_events.jsonl"), a.StartupLog);
        Assert.Equal(new Uri("http://127.0.0.1:8081/"), a.Dashboard);
        Assert.Equal(("robodj-studio-a", 3), (a.Runner, a.Line));
        Assert.Equal((dir.Combine("a", "RoboDJ_Launcher.sh"), "RoboDJ Automation", null, dir.Combine("a", "launcher.log")), (a.Launcher, a.ProcessName, a.PidFile, a.LauncherLog));
        Assert.Equal(("/srv/robodj-b/bin/start.sh", "RoboDJ B", "/srv/robodj-b/robodj.pid", "/srv/robodj-b/launcher.log"), (b.Launcher, b.ProcessName, b.PidFile, b.LauncherLog));
        Assert.Same(b, fleet.Host("studio-b"));
        Assert.Contains("studio-a, studio-b", Assert.Throws<UnknownFleetHostException>(() => fleet.Host("studio-c")).Message);
    }

    [Theory]
    [InlineData("http://localhost:8082/")]
    [InlineData("http://10.0.0.5:8082/")]
    [InlineData("http://0.0.0.0:8082/")]
    public void A_dashboard_off_127_0_0_1_is_refused_naming_the_file_and_its_line(string url)
    {
        var e = Refused(TwoHosts.Replace("http://127.0.0.1:8082/", url));

        Assert.Equal(11, e.Line);
        Assert.StartsWith(dir.Combine("fleet.yaml") + ":11: dashboard '" + url + "' is not on 127.0.0.1", e.Message);
        Assert.Contains("Fix: run each host's job on that host", e.Message);
    }

    [Fact]
    public void A_missing_key_names_the_host_entry_and_the_key_to_add()
    {
        var e = Refused(TwoHosts.Replace("    startup_log: config/logs/b/startup_safety_events.jsonl\n", ""));

        Assert.Equal(8, e.Line);
        Assert.Contains("the host entry has no `startup_log`. Fix: add `startup_log: ...`", e.Message);
        Assert.EndsWith("Nothing was changed.", e.Message);
    }

    [Fact]
    public void A_misspelt_key_is_refused_rather_than_ignored()
    {
        var e = Refused(TwoHosts.Replace("pid_file:", "pidfile:"));

        Assert.Equal(15, e.Line);
        Assert.Contains("unknown key `pidfile`", e.Message);
        Assert.Contains("`pid_file`", e.Message);
    }

    [Theory]
    [InlineData("root: a", "root: /srv/robodj-b", "the same root as host 'studio-a' (line 3)")]
    [InlineData("http://127.0.0.1:8082/", "http://127.0.0.1:8081/", "the same dashboard as host 'studio-a' (line 3)")]
    [InlineData("name: studio-b", "name: studio-a", "the same name as host 'studio-a' (line 3)")]
    public void Two_hosts_sharing_a_root_a_dashboard_or_a_name_are_refused(string from, string to, string problem)
    {
        var e = Refused(TwoHosts.Replace(from, to));

        Assert.Equal(8, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Broken_yaml_names_its_line()
    {
        var e = Refused(TwoHosts.Replace("    runner: robodj-studio-b", "    runner: \"robodj-studio-b"));

        Assert.InRange(e.Line, 9, 12);
        Assert.Contains("not valid YAML", e.Message);
    }

    [Theory]
    [InlineData("", "`hosts:` is missing or empty")]
    [InlineData("hosts: []\n", "`hosts:` is missing or empty")]
    [InlineData("- name: a\n", "not one YAML mapping")]
    public void A_file_without_a_usable_host_list_is_refused(string yaml, string problem)
    {
        Assert.Contains(problem, Refused(yaml).Message);
    }

    [Fact]
    public void A_host_name_that_cannot_name_a_matrix_job_is_refused()
    {
        var e = Refused(TwoHosts.Replace("name: studio-a", "name: \"studio a\""));

        Assert.Equal(3, e.Line);
        Assert.Contains("host name 'studio a' is not a plain name", e.Message);
    }

    [Fact]
    public void A_missing_file_says_how_to_point_at_one()
    {
        var e = Assert.Throws<FleetFileException>(() => FleetFile.Load(dir.Combine("nope.yaml")));

        Assert.Contains("nope.yaml:0: the fleet file does not exist. Fix: pass --fleet", e.Message);
    }

    public void Dispose() => dir.Dispose();
}
