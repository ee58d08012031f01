using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Sandbox.Tests.Support;
using RoboDJ.Testing;

namespace RoboDJ.Sandbox.Tests;

/// <summary>The sandbox app as a real process on a free 127.0.0.1 port, over a deployment made by SandboxDeployment.Create.</summary>
public sealed class SandboxAppAsProcessTests : IDisposable
{
    static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    readonly TempDir dir = new("robodj-sandbox");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Startup_with_good_keys_writes_PASS_with_the_key_fingerprints_and_a_pid_file()
    {
        var deployment = TestDeployments.Create(dir);
        using var app = await SandboxProcess.StartAsync(deployment);

        var check = StartupLogLines.Read(deployment).Single(e => e.GetProperty("event").GetString() == "startup_check");
        Assert.Equal("Key presence/integrity check: PASS", check.GetProperty("message").GetString());
        Assert.Equal("INFO", check.GetProperty("level").GetString());
        Assert.Equal(deployment.V1.Fingerprint.ToString(), check.GetProperty("v1").GetString());
        Assert.Equal(deployment.V2!.Fingerprint.ToString(), check.GetProperty("v2").GetString());
        Assert.Equal(9, check.GetProperty("fields").GetInt32());
        Assert.True(DateTimeOffset.TryParse(check.GetProperty("ts").GetString(), out _));
        Assert.Equal(app.Pid.ToString(), File.ReadAllText(deployment.Layout.PidFile).Trim());
    }

    [Fact]
    public async Task Startup_with_a_malformed_V1_writes_FAIL_naming_the_slot_and_exits_non_zero()
    {
        var deployment = TestDeployments.Create(dir);
        deployment.SetEnv(SandboxVariables.V1, deployment.V1.Text[..^2]);
        using var app = SandboxProcess.Launch(deployment);

        Assert.Equal(2, await app.WaitForExitAsync(ExitTimeout));
        var message = Assert.Single(StartupLogLines.Messages(deployment, "startup_check"));
        Assert.StartsWith("Key presence/integrity check: FAIL (V1 (ROBODJ_SECRET_KEY) is malformed", message);
        Assert.False(File.Exists(deployment.Layout.PidFile));
    }

    [Fact]
    public async Task Startup_with_a_field_no_key_opens_writes_FAIL_naming_the_file_and_path()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { UndecryptableFields = 1 });
        using var app = SandboxProcess.Launch(deployment);

        Assert.Equal(2, await app.WaitForExitAsync(ExitTimeout));
        var message = Assert.Single(StartupLogLines.Messages(deployment, "startup_check"));
        Assert.StartsWith("Key presence/integrity check: FAIL (1 encrypted field opens with neither V1 nor V2: config/", message);
        Assert.Contains(" $.", message);
    }

    [Fact]
    public async Task Login_with_the_right_password_returns_a_session_that_checks_as_v1()
    {
        var deployment = TestDeployments.Create(dir);
        using var app = await SandboxProcess.StartAsync(deployment);

        var session = await app.LoginAsync(deployment.DashboardPassword, "dj");
        using var check = await app.CheckSessionAsync(session);

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var body = await check.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("dj", body.GetProperty("user").GetString());
        Assert.Equal("v1", body.GetProperty("key").GetString());
        Assert.True(FernetToken.TryDecrypt(deployment.V1, session, out _), "the session is a Fernet token under V1");
    }

    [Fact]
    public async Task Login_with_a_wrong_password_and_a_forged_session_are_401()
    {
        var deployment = TestDeployments.Create(dir);
        using var app = await SandboxProcess.StartAsync(deployment);

        using var login = await app.Http.PostAsJsonAsync("/api/auth/login", new { username = "dj", password = deployment.DashboardPassword + "x" }, Ct);
        var forged = FernetToken.Encrypt(FernetKey.Generate(), """{"user":"dj","exp":9999999999}"""u8);
        using var check = await app.CheckSessionAsync(forged);
        using var noHeader = await app.Http.GetAsync("/api/auth/session", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, check.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noHeader.StatusCode);
    }

    [Fact]
    public async Task An_expired_session_is_401()
    {
        var deployment = TestDeployments.Create(dir);
        deployment.SetEnv(SandboxVariables.SessionTtlSeconds, "1");
        using var app = await SandboxProcess.StartAsync(deployment);

        var session = await app.LoginAsync(deployment.DashboardPassword);
        await Task.Delay(TimeSpan.FromSeconds(2.1), Ct);
        using var check = await app.CheckSessionAsync(session);

        Assert.Equal(HttpStatusCode.Unauthorized, check.StatusCode);
    }

    [Fact]
    public async Task A_session_made_under_the_old_V1_stays_valid_after_the_key_shift_and_reports_v2()
    {
        // No field under V2: the shift drops V2, and without the pipeline's rewrap such a field would FAIL the start.
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { FieldsUnderV2 = 0 });
        string session;
        using (var before = await SandboxProcess.StartAsync(deployment))
        {
            session = await before.LoginAsync(deployment.DashboardPassword);
            before.Terminate();
            await before.WaitForExitAsync(ExitTimeout);
        }
        var newV1 = deployment.ShiftKeys(deployment.V1);

        using var after = await SandboxProcess.StartAsync(deployment);
        using var check = await after.CheckSessionAsync(session);
        var fresh = await after.LoginAsync(deployment.DashboardPassword);
        using var freshCheck = await after.CheckSessionAsync(fresh);

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("v2", (await check.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString());
        Assert.Equal("v1", (await freshCheck.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString());
        Assert.True(FernetToken.TryDecrypt(newV1, fresh, out _));
    }

    [Fact]
    public async Task Config_save_rewraps_every_field_under_V1_keeping_each_timestamp()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { FieldsUnderV1 = 4, FieldsUnderV2 = 3 });
        var before = deployment.EncryptedFields().ToDictionary(f => (f.File, f.Path), f => f.Token);
        Assert.Equal(3, before.Values.Count(t => !FernetToken.TryDecrypt(deployment.V1, t, out _)));
        using var app = await SandboxProcess.StartAsync(deployment);

        using var response = await app.Http.PostAsync("/api/config/save", null, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, body.GetProperty("saved").GetInt32());
        Assert.Equal(0, body.GetProperty("decryption_errors").GetArrayLength());
        var after = deployment.EncryptedFields();
        Assert.Equal(before.Keys.Order(), after.Select(f => (f.File, f.Path)).Order());
        foreach (var field in after)
        {
            Assert.True(FernetToken.TryDecrypt(deployment.V1, field.Token, out _), $"{field.File} {field.Path} is under V1");
            Assert.Equal(FernetToken.Inspect(before[(field.File, field.Path)])!.Value.Timestamp, FernetToken.Inspect(field.Token)!.Value.Timestamp);
        }
    }

    [Fact]
    public async Task Config_save_keeps_enc_prefixes_and_non_secret_strings()
    {
        var deployment = TestDeployments.Create(dir);
        var settings = Path.Combine(deployment.Layout.Config, "settings.json");
        var prefixedBefore = File.ReadAllText(settings).Split("\"enc:gAAAAA").Length;
        using var app = await SandboxProcess.StartAsync(deployment);

        using var response = await app.Http.PostAsync("/api/config/save", null, Ct);
        response.EnsureSuccessStatusCode();

        var text = File.ReadAllText(settings);
        Assert.True(prefixedBefore > 1, "the builder put an enc: field into settings.json");
        Assert.Equal(prefixedBefore, text.Split("\"enc:gAAAAA").Length);
        Assert.Contains("\"station_name\": \"RoboDJ FM\"", text);
        Assert.Contains("\"note\": \"gAAAAA is how a Fernet token starts; this string is not one\"", text);
    }

    [Fact]
    public async Task Config_save_reports_a_field_no_key_opens_and_leaves_it_as_it_was()
    {
        var deployment = TestDeployments.Create(dir);
        using var app = await SandboxProcess.StartAsync(deployment);
        var lostToken = FernetToken.Encrypt(FernetKey.Generate(), "gone"u8);
        var planted = Path.Combine(deployment.Layout.Config, "integrations", "late.json");
        File.WriteAllText(planted, $$"""{ "vault": { "items": [ "plain", "enc:{{lostToken}}" ] } }""");

        using var response = await app.Http.PostAsync("/api/config/save", null, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var error = Assert.Single(body.GetProperty("decryption_errors").EnumerateArray());
        Assert.Equal("config/integrations/late.json", error.GetProperty("file").GetString());
        Assert.Equal("$.vault.items[1]", error.GetProperty("path").GetString());
        Assert.Equal(9, body.GetProperty("saved").GetInt32());
        Assert.Contains("enc:" + lostToken, File.ReadAllText(planted));
    }

    [Fact]
    public async Task A_variable_in_the_process_environment_wins_over_dotenv_as_in_python_dotenv()
    {
        var deployment = TestDeployments.Create(dir);
        // V1 and V2 swapped in the environment: every field still opens, and the app must report the inherited V1.
        var inherited = new Dictionary<string, string>
        {
            [SandboxVariables.V1] = deployment.V2!.Text,
            [SandboxVariables.V2] = deployment.V1.Text,
            [SandboxVariables.DashboardPassword] = "inherited-password",
        };
        using var app = await SandboxProcess.StartAsync(deployment, inherited);

        var check = StartupLogLines.Read(deployment).Single(e => e.GetProperty("event").GetString() == "startup_check");
        using var dotenvLogin = await app.Http.PostAsJsonAsync("/api/auth/login", new { username = "dj", password = deployment.DashboardPassword }, Ct);
        var session = await app.LoginAsync("inherited-password");

        Assert.Equal(deployment.V2.Fingerprint.ToString(), check.GetProperty("v1").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, dotenvLogin.StatusCode);
        Assert.True(FernetToken.TryDecrypt(deployment.V2, session, out _), "sessions are made under the inherited V1");
    }

    [Fact]
    public async Task SIGTERM_stops_the_app_fast_removes_the_pid_file_and_logs_the_shutdown()
    {
        var deployment = TestDeployments.Create(dir);
        using var app = await SandboxProcess.StartAsync(deployment);

        var clock = Stopwatch.StartNew();
        app.Terminate();
        var exitCode = await app.WaitForExitAsync(ExitTimeout);
        clock.Stop();

        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(deployment.Layout.PidFile));
        Assert.Single(StartupLogLines.Messages(deployment, "shutdown"));
        // The app's own budget is well under 1 s; the bound leaves room for a loaded CI machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the app took {clock.Elapsed.TotalMilliseconds:F0} ms to stop");
    }

    [Fact]
    public async Task The_launcher_script_starts_the_app_for_its_root()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("the .sh launcher is for Unix; RoboDJ_Launcher.bat is its Windows twin");
        var deployment = TestDeployments.Create(dir);
        using var launcher = Process.Start(new ProcessStartInfo(deployment.Layout.LauncherSh) { UseShellExecute = false })!;
        try
        {
            using var probe = new HttpClient { BaseAddress = new Uri(deployment.DashboardUrl) };
            var deadline = Stopwatch.StartNew();
            HttpStatusCode? status = null;
            while (status != HttpStatusCode.OK && deadline.Elapsed < SandboxProcess.StartTimeout && !launcher.HasExited)
            {
                try { status = (await probe.GetAsync("/healthz", Ct)).StatusCode; }
                catch (HttpRequestException) { await Task.Delay(50, Ct); }
            }

            Assert.Equal(HttpStatusCode.OK, status);
            // exec: the pid the launcher got is the app's own, so a runtime can SIGTERM it directly.
            Assert.Equal(launcher.Id.ToString(), File.ReadAllText(deployment.Layout.PidFile).Trim());
        }
        finally
        {
            if (!launcher.HasExited) launcher.Kill(entireProcessTree: true);
            launcher.WaitForExit(10_000);
        }
    }

    [Fact]
    public async Task The_broadcasts_endpoint_returns_only_broadcasts_starting_within_the_window()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions
        {
            Broadcasts =
            [
                new("Morning news", TimeSpan.FromMinutes(4)),
                new("Top of the hour", TimeSpan.FromMinutes(40)),
                new("Already on air", TimeSpan.FromMinutes(-10)),
                new("Late show", TimeSpan.FromHours(5)),
            ],
        });
        using var app = await SandboxProcess.StartAsync(deployment);

        async Task<string[]> Titles(int minutes)
        {
            var body = await app.Http.GetFromJsonAsync<JsonElement>($"/api/broadcasts/upcoming?minutes={minutes}", Ct);
            return body.GetProperty("broadcasts").EnumerateArray().Select(b => b.GetProperty("title").GetString()!).ToArray();
        }

        Assert.Equal(["Morning news"], await Titles(10));
        Assert.Equal(["Morning news", "Top of the hour"], await Titles(60));
        Assert.Empty(await Titles(1));
        using var bad = await app.Http.GetAsync("/api/broadcasts/upcoming?minutes=soon", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Nothing_the_app_printed_or_wrote_holds_a_key_or_the_password()
    {
        var deployment = TestDeployments.Create(dir, new SandboxDeploymentOptions { FieldsUnderV1 = 3, FieldsUnderV2 = 2 });
        var responses = new List<string>();
        var output = new List<string>();
        using (var app = await SandboxProcess.StartAsync(deployment))
        {
            var session = await app.LoginAsync(deployment.DashboardPassword);
            using var check = await app.CheckSessionAsync(session);
            responses.Add(await check.Content.ReadAsStringAsync(Ct));
            using var wrong = await app.Http.PostAsJsonAsync("/api/auth/login", new { username = "dj", password = "nope" }, Ct);
            responses.Add(await wrong.Content.ReadAsStringAsync(Ct));
            using var save = await app.Http.PostAsync("/api/config/save", null, Ct);
            responses.Add(await save.Content.ReadAsStringAsync(Ct));
            responses.Add(await app.Http.GetStringAsync("/api/broadcasts/upcoming?minutes=600", Ct));
            responses.Add(await app.Http.GetStringAsync("/healthz", Ct));
            app.Terminate();
            await app.WaitForExitAsync(ExitTimeout);
            output.Add(app.Output);
        }
        var newV1 = deployment.ShiftKeys(deployment.V1);
        deployment.SetEnv(SandboxVariables.V2, deployment.V1.Text[..^1] + "!");
        using (var failing = SandboxProcess.Launch(deployment))
        {
            Assert.Equal(2, await failing.WaitForExitAsync(ExitTimeout));
            output.Add(failing.Output);
        }

        var secrets = deployment.Secrets(newV1);
        Canary.AssertAbsent(string.Join("\n", output), secrets, "the app's stdout and stderr");
        Canary.AssertAbsent(string.Join("\n", responses), secrets, "the dashboard's responses");
        Canary.AssertAbsentFromTree(deployment.Root, secrets, SandboxLayout.EnvFileName);
        Assert.Contains("FAIL (V2 (ROBODJ_SECRET_V2_KEY) is malformed", string.Join("\n", output));
    }
}
