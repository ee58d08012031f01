using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace RoboDJ.KeyRotation.Tests.Verification;

public sealed class DashboardClientTests : IDisposable
{
    readonly WireMockServer server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    public void Dispose() => server.Stop();

    // Generous: WireMock's first answer is slow on a busy 2-core machine.
    DashboardClient Client() => new(new Uri(server.Url! + "/"), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Login_returns_a_session_that_the_session_check_sends_back()
    {
        server.Given(Request.Create().WithPath("/api/auth/login").UsingPost().WithBody(b => b!.Contains("\"username\":\"admin\"")))
            .RespondWith(Response.Create().WithBodyAsJson(new { token = "tok-123456" }));
        server.Given(Request.Create().WithPath("/api/auth/session").UsingGet().WithHeader("Authorization", "Bearer tok-123456"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { valid = true }));
        server.Given(Request.Create().WithPath("/api/auth/session").UsingGet().WithHeader("Authorization", "Bearer other-999999"))
            .RespondWith(Response.Create().WithStatusCode(401));
        using var client = Client();

        var session = await client.LoginAsync("admin", "pw-secret-1", Ct);

        Assert.True(await client.IsSessionValidAsync(session, Ct));
        Assert.False(await client.IsSessionValidAsync(new DashboardSession("other-999999"), Ct));
        Assert.DoesNotContain("tok-123456", session.ToString());
    }

    [Fact]
    public async Task A_refused_login_says_what_to_check()
    {
        server.Given(Request.Create().WithPath("/api/auth/login").UsingPost()).RespondWith(Response.Create().WithStatusCode(401));
        using var client = Client();
        var e = await Assert.ThrowsAsync<DashboardCheckFailedException>(() => client.LoginAsync("admin", "pw-secret-2", Ct));
        Assert.Contains("DASHBOARD_PASSWORD", e.Message);
        Assert.DoesNotContain("pw-secret-2", e.Message);
    }

    [Fact]
    public async Task A_config_save_reports_the_fields_it_could_not_decrypt()
    {
        server.Given(Request.Create().WithPath("/api/config/save").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { saved = 7, decryptionErrors = new[] { new { file = "config/a.json", path = "$.db.password" } } }));
        using var client = Client();
        var result = await client.SaveConfigAsync(new DashboardSession("tok-123456"), Ct);
        Assert.Equal(7, result.Saved);
        Assert.False(result.Clean);
        Assert.Equal("config/a.json $.db.password", Assert.Single(result.DecryptionErrors));
    }

    [Fact]
    public async Task A_config_save_answered_with_an_error_that_names_no_field_is_a_failed_save()
    {
        server.Given(Request.Create().WithPath("/api/config/save").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBodyAsJson(new { error = "config/a.json is not valid JSON" }));
        using var client = Client();
        var e = await Assert.ThrowsAsync<DashboardCheckFailedException>(() => client.SaveConfigAsync(new DashboardSession("tok-123456"), Ct));
        Assert.Contains("HTTP 500", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public async Task Upcoming_broadcasts_are_listed()
    {
        server.Given(Request.Create().WithPath("/api/broadcasts/upcoming").WithParam("minutes", "15").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new[] { new { id = "b1", title = "Morning show", startsAt = "2026-11-30T05:00:00Z" } }));
        using var client = Client();
        var list = await client.UpcomingBroadcastsAsync(TimeSpan.FromMinutes(15), Ct);
        Assert.Equal("Morning show", Assert.Single(list).Title);
    }

    [Fact]
    public void Any_address_but_127_0_0_1_is_refused()
    {
        Assert.Throws<DashboardAddressRefusedException>(() => new DashboardClient(new Uri("http://10.0.0.5:8080/"), TimeSpan.FromSeconds(1)));
        Assert.Throws<DashboardAddressRefusedException>(() => new DashboardClient(new Uri("http://example.com/"), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_dashboard_that_is_down_is_a_clear_error()
    {
        var url = server.Url!;
        server.Stop();
        using var client = new DashboardClient(new Uri(url + "/"), TimeSpan.FromSeconds(2));
        var e = await Assert.ThrowsAsync<DashboardCheckFailedException>(() => client.LoginAsync("admin", "pw-secret-3", Ct));
        Assert.Contains("dashboard-url", e.Message);
    }
}
