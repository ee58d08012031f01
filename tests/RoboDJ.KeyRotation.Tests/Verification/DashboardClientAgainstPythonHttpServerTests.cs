using System.Diagnostics;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Verification;

/// <summary>
/// The dashboard contract against a peer we did not write beside the client: Python's http.server, which reads a body by
/// Content-Length only. A chunked request reaches it empty, so the login would be refused.
/// </summary>
public sealed class DashboardClientAgainstPythonHttpServerTests : IAsyncLifetime
{
    const string Password = "peer-pw-5b2c";
    Process? server;
    Uri? url;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Verification", "Peers", "stdlib_dashboard.py");
        var info = new ProcessStartInfo(Peers.Python()) { RedirectStandardOutput = true, ArgumentList = { script, Password } };
        server = Process.Start(info)!;
        var port = await server.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        url = new Uri($"http://127.0.0.1:{port}/");
    }

    public ValueTask DisposeAsync()
    {
        if (server is { HasExited: false }) server.Kill();
        server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Login_session_check_and_config_save_work_against_a_server_that_reads_Content_Length_only()
    {
        using var client = new DashboardClient(url!, TimeSpan.FromSeconds(30));

        var session = await client.LoginAsync("admin", Password, Ct);
        var save = await client.SaveConfigAsync(session, Ct);

        Assert.True(await client.IsSessionValidAsync(session, Ct));
        Assert.True(save.Clean);
        Assert.Equal(3, save.Saved);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_by_the_peer_and_reported_as_a_refused_login()
    {
        using var client = new DashboardClient(url!, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<DashboardCheckFailedException>(() => client.LoginAsync("admin", "not-the-password", Ct));

        Assert.Contains("refused (401)", error.Message);
    }
}
