using RoboDJ.KeyRotation.Fleet;
using RoboDJ.Testing;
using Xunit;

namespace RoboDJ.KeyRotation.Tests.Fleet;

/// <summary>Issue 19: a fleet file's dashboard with user info is refused, naming the file and the line, without showing it.</summary>
public sealed class FleetFileDashboardCredentialsTests : IDisposable
{
    readonly TempDir dir = new("robodj-fleet-credentials");

    [Theory]
    [InlineData("http://admin:{0}@127.0.0.1:8081/")]
    [InlineData("https://admin:{0}@127.0.0.1:8081/")]
    [InlineData("http://{0}@localhost:8081/")]
    public void A_dashboard_with_user_info_is_refused_naming_the_line_and_never_showing_it(string dashboard)
    {
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var path = dir.Combine("fleet.yaml");
        File.WriteAllText(path, $"""
            hosts:
              - name: studio-a
                runner: robodj-studio-a
                root: a
                dashboard: {string.Format(System.Globalization.CultureInfo.InvariantCulture, dashboard, password)}
                startup_log: config/logs/a/startup_safety_events.jsonl
            """);

        var e = Assert.Throws<FleetFileException>(() => FleetFile.Load(path));

        Assert.Equal(5, e.Line);
        Assert.StartsWith(path + ":5: dashboard carries user info (user:password@), a credential in plain text, so it is refused", e.Message);
        Assert.Contains("give the password as DASHBOARD_PASSWORD", e.Message);
        Canary.AssertAbsent(e.Message, [password], "the error");
        Assert.DoesNotContain("admin", e.Message);
    }

    public void Dispose() => dir.Dispose();
}
