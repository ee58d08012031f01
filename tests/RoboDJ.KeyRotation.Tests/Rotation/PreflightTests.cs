using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Testing;

namespace RoboDJ.KeyRotation.Tests.Rotation;

public sealed class PreflightTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<PreflightReport> Run(DeploymentBuilder d, RunOptions? options = null, string env = "staging", RecordingRuntime? runtime = null) =>
        new Preflight(d.Settings(env), options ?? new RunOptions(), new DotEnvSecretStore(d.Paths.DotEnv), runtime ?? new RecordingRuntime()).RunAsync(Ct);

    [Fact]
    public async Task A_healthy_deployment_passes_with_census_counts_per_key()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().WithFieldUnderV1().WithFieldUnderV2().Build();
        var report = await Run(d);
        Assert.Equal(2, report.Census.CountUnder(d.V1));
        Assert.Equal(1, report.Census.CountUnder(d.V2));
        Assert.Contains(d.V1.Fingerprint.ToString(), report.Summary);
        Canary.AssertAbsent(report.Summary, [d.V1.Text, d.V2.Text], "the preflight summary");
    }

    [Fact]
    public async Task An_env_other_than_the_deployments_stops_naming_both()
    {
        using var d = new DeploymentBuilder().WithEnv("production").Build();
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, env: "staging"));
        Assert.Contains("ROBODJ_ENV is 'production' but --env is 'staging'", e.Message);
        Assert.Contains(d.Paths.DotEnv + ":1", e.Message);
    }

    [Fact]
    public async Task A_GitHub_store_checks_ROBODJ_ENV_in_the_env_file_and_refuses_a_mapping_that_disagrees_with_it()
    {
        using var d = new DeploymentBuilder().WithEnv("production").WithFieldUnderV1().Build();
        var mapped = new Tests.Secrets.WriteOnlySecrets { Mapped = new KeySlots(FernetKey.Generate(), d.V1) };
        var store = new DeliveredGitHubSecretStore(mapped, new DotEnvSecretStore(d.Paths.DotEnv), () => false);
        var settings = d.Settings("staging") with { Store = StoreKind.GitHubEnvironment };

        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => new Preflight(settings, new RunOptions(), store, new RecordingRuntime()).RunAsync(Ct));

        Assert.Contains($"{d.Paths.DotEnv}:1: ROBODJ_ENV is 'production' but --env is 'staging'", e.Message);
        Assert.Contains($"V1 {mapped.Mapped.Primary!.Fingerprint}, V2 {d.V1.Fingerprint}", e.Message);
        Assert.Contains($"V1 {d.V1.Fingerprint}, V2 {d.V2.Fingerprint}", e.Message);
    }

    [Fact]
    public async Task A_dotenv_line_python_dotenv_skips_and_a_commented_out_key_are_warnings_not_refusals()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().Build();
        File.AppendAllText(d.Paths.DotEnv, $"BROKEN value here\n# ROBODJ_SECRET_V2_KEY={d.V2.Text}\n");

        var report = await Run(d);

        Assert.Contains(report.Warnings, w => w.StartsWith($"{d.Paths.DotEnv}:4: ") && w.Contains("python-dotenv skips this line"));
        Assert.Contains(report.Warnings, w => w.StartsWith($"{d.Paths.DotEnv}:5: ") && w.Contains("commented-out copy of ROBODJ_SECRET_V2_KEY"));
        Canary.AssertAbsent(string.Join("\n", report.Warnings), [d.V1.Text, d.V2.Text], "the preflight warnings");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_env_and_a_read_only_config_folder_are_each_refused_once_with_the_fix()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        using var d = new DeploymentBuilder().WithFieldUnderV1().Build();
        File.SetUnixFileMode(d.Paths.DotEnv, UnixFileMode.UserRead);
        var mode = File.GetUnixFileMode(d.Paths.Config);
        File.SetUnixFileMode(d.Paths.Config, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d));

            Assert.Single(e.Problems, p => p.Contains($"chmod u+w {d.Paths.DotEnv}"));
            Assert.Contains(e.Problems, p => p.StartsWith($"{d.Paths.Config}: the folder is read-only") && p.Contains($"chmod u+w {d.Paths.Config}"));
        }
        finally { File.SetUnixFileMode(d.Paths.Config, mode); }
    }

    [Fact]
    public async Task A_missing_V2_is_reported()
    {
        using var d = new DeploymentBuilder().WithoutV2().Build();
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d));
        Assert.Contains("ROBODJ_SECRET_V2_KEY", e.Message);
    }

    [Fact]
    public async Task A_field_only_V2_opens_is_fine_with_the_rewrap_on_and_blocks_with_it_off()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV2().Build();
        await Run(d);
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, new RunOptions { Rewrap = false }));
        Assert.Contains("only with V2", e.Message);
        Assert.Contains("$.secret_0", e.Message);
    }

    [Fact]
    public async Task Many_fields_only_V2_opens_are_named_five_and_counted_with_the_rewrap_off()
    {
        var builder = new DeploymentBuilder();
        for (var i = 0; i < 25; i++) builder.WithFieldUnderV2();
        using var d = builder.Build();
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, new RunOptions { Rewrap = false }));
        Assert.Contains("25 field(s) open only with V2", e.Message);
        Assert.Contains("$.secret_4, and 20 more", e.Message);
    }

    [Fact]
    public async Task An_undecryptable_field_blocks_unless_allowed()
    {
        using var d = new DeploymentBuilder().WithFieldUnderV1().WithUndecryptableField().Build();
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d));
        Assert.Contains("--allow-undecryptable", e.Message);
        Assert.Contains("$.secret_1", e.Message);
        var report = await Run(d, new RunOptions { AllowUndecryptable = true });
        Assert.Single(report.Census.Undecryptable);
        Assert.NotEmpty(report.Warnings);
    }

    [Fact]
    public async Task An_unfinished_rotation_refuses_naming_Resume_and_Rollback()
    {
        using var d = new DeploymentBuilder().Build();
        RotationJournal.Create(d.Paths.KeyRotation, RotationId.New(DateTimeOffset.UtcNow), "staging", "alice").Started(RotationStep.Shift);
        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d));
        Assert.Contains("./build.sh Resume --env staging", e.Message);
        Assert.Contains("./build.sh Rollback --env staging", e.Message);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_and_nothing_is_touched()
    {
        using var d = new DeploymentBuilder().WithEnv("qa").WithUndecryptableField().Build();
        var runtime = new RecordingRuntime(new InvalidOperationException("no engine at unix:///nowhere"));
        var before = Directory.GetFiles(d.Paths.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var e = await Assert.ThrowsAsync<PreflightFailedException>(() => Run(d, runtime: runtime));

        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("no engine"));
        Assert.Empty(runtime.Calls);
        var after = Directory.GetFiles(d.Paths.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before) Assert.Equal(bytes, after[file]);
    }
}

public sealed class ProductionGuardTests
{
    static Func<string, string?> Env(params (string, string)[] vars) => name => vars.FirstOrDefault(v => v.Item1 == name).Item2;

    [Fact]
    public void Production_needs_confirm_production()
    {
        Assert.False(ProductionGuard.IsConfirmed("production", null, null));
        Assert.False(ProductionGuard.IsConfirmed("production", "yes", null));
        Assert.False(ProductionGuard.IsConfirmed("production", "Production", null));
        Assert.True(ProductionGuard.IsConfirmed("production", "production", null));
        Assert.Throws<ProductionNotConfirmedException>(() => ProductionGuard.Check("production", null, null));
    }

    [Fact]
    public void An_actions_job_approved_for_the_production_environment_counts_as_confirmed()
    {
        Assert.True(ProductionGuard.IsConfirmed("production", null, ProductionGuard.ApprovedEnvironment(Env(("GITHUB_ACTIONS", "true"), ("GITHUB_ENVIRONMENT", "production")))));
        Assert.False(ProductionGuard.IsConfirmed("production", null, ProductionGuard.ApprovedEnvironment(Env(("GITHUB_ACTIONS", "true"), ("GITHUB_ENVIRONMENT", "staging")))));
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("GITHUB_ACTIONS", "false")]
    [InlineData("GITHUB_ACTIONS", "")]
    public void Outside_GitHub_Actions_a_GITHUB_ENVIRONMENT_is_no_approval(string name, string value) =>
        Assert.Null(ProductionGuard.ApprovedEnvironment(Env((name, value), ("GITHUB_ENVIRONMENT", "production"))));

    [Fact]
    public void Other_environments_need_no_confirmation()
    {
        Assert.True(ProductionGuard.IsConfirmed("staging", null, null));
        Assert.True(ProductionGuard.IsConfirmed("sandbox", null, null));
    }
}
